using System.Text.RegularExpressions;

namespace Fractal.Functions.Secrets;

/// <summary>Key Vault secret names: 1-127 characters of letters, digits and dashes.</summary>
public static partial class SecretName
{
    [GeneratedRegex("^[a-z][a-z0-9-]{0,80}$")]
    private static partial Regex PurposePattern();

    [GeneratedRegex("^[A-Za-z0-9-]{1,127}$")]
    private static partial Regex NamePattern();

    /// <summary>
    /// A name that has never existed: the purpose plus a random 128-bit generation id. Deleted names stay
    /// reserved in a vault with purge protection, so a name is never written twice.
    /// </summary>
    public static string NewGeneration(string purpose)
    {
        if (!PurposePattern().IsMatch(purpose))
            throw new ArgumentException("A secret purpose is lower-case letters, digits and dashes, starting with a letter.", nameof(purpose));
        return $"{purpose}-{Guid.NewGuid():N}";
    }

    public static bool IsValid(string name) => NamePattern().IsMatch(name);
}
