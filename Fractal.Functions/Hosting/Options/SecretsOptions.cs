namespace Fractal.Functions.Hosting.Options;

/// <summary>Which secret store holds consumer secrets and signing keys. Section <c>Secrets</c>.</summary>
public sealed class SecretsOptions
{
    public const string Section = "Secrets";

    /// <summary><c>Secrets:Provider</c>: <see cref="SecretProvider.KeyVault"/> or <see cref="SecretProvider.Development"/>.</summary>
    public string? Provider { get; set; }

    /// <summary><c>Secrets:DevelopmentFilePath</c>: the JSON file of the development store (Development only).</summary>
    public string DevelopmentFilePath { get; set; } = ".local/dev-secrets.json";
}

public static class SecretProvider
{
    public const string KeyVault = "KeyVault";
    public const string Development = "Development";
}
