using System.Security.Cryptography;
using System.Text;

namespace Fractal.Functions.Identity.Users;

public static class EmailAddress
{
    public const int MaxLength = 254;

    /// <summary>The form emails are compared and indexed in: trimmed, lower-case (invariant).</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    public static bool IsValid(string? email)
    {
        if (string.IsNullOrWhiteSpace(email)) return false;
        var e = email.Trim();
        var at = e.IndexOf('@');
        return e.Length <= MaxLength && at > 0 && at == e.LastIndexOf('@') && at < e.Length - 3 && e.IndexOf('.', at) > at + 1
               && !e.Any(char.IsWhiteSpace) && !e.Any(char.IsControl);
    }

    /// <summary>Key for rows indexed by email: a hash, because emails may hold characters table keys refuse.</summary>
    public static string IndexKey(string email) =>
        Storage.Sha256Hex.Of(Normalize(email));
}
