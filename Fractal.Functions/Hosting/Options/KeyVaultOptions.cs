namespace Fractal.Functions.Hosting.Options;

/// <summary>The Key Vault used when <c>Secrets:Provider</c> is KeyVault. Section <c>KeyVault</c>.</summary>
public sealed class KeyVaultOptions
{
    public const string Section = "KeyVault";

    /// <summary><c>KeyVault:Uri</c>, e.g. https://my-vault.vault.azure.net/.</summary>
    public string? Uri { get; set; }
}
