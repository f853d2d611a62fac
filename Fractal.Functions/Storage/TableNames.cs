namespace Fractal.Functions.Storage;

/// <summary>Every table the app uses (docs/storage-schema.md describes each; infra/ creates them in Azure).</summary>
public static class TableNames
{
    public const string ServiceKeys = "ServiceKeys";

    public static IReadOnlyList<string> All { get; } = [ServiceKeys];
}
