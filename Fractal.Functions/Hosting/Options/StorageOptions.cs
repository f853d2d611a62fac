namespace Fractal.Functions.Hosting.Options;

/// <summary>Where Table Storage is. Section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Storage:ConnectionString</c>: Azurite or a key-based account.</summary>
    public string? ConnectionString { get; set; }

    /// <summary><c>Storage:TableServiceUri</c>: the account's table endpoint, reached with DefaultAzureCredential.</summary>
    public string? TableServiceUri { get; set; }
}
