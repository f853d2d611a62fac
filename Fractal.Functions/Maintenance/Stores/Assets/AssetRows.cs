using System.Text.Json;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Search;

namespace Fractal.Functions.Maintenance.Stores.Assets;

/// <summary>RowKeys of the asset table (one partition per tenant) and an asset's derived rows.</summary>
internal static class AssetRows
{
    public const string RecordPrefix = "as|";
    /// <summary>The hierarchy index: <c>x|path|{materialised path}</c>, so a subtree is one prefix range.</summary>
    public const string ByPath = "x|path|";

    public static string Record(string id) => RecordPrefix + id;

    public static List<IndexRow> Project(string partition, Asset asset)
    {
        var rows = new List<IndexRow>
        {
            new() { PartitionKey = partition, RowKey = ByPath + asset.Path, Ref = asset.Id, Data = JsonSerializer.Serialize(asset, MaintenanceJson.Default.Asset) },
        };
        var terms = SearchTerms.Build((asset.Id, SearchTerms.IdentifierWeight), (asset.Name, SearchTerms.TitleWeight), (asset.Description, SearchTerms.TextWeight),
            (asset.Groups is null ? null : string.Join(' ', asset.Groups), SearchTerms.TextWeight));
        foreach (var (term, weight) in terms)
            rows.Add(new IndexRow { PartitionKey = partition, RowKey = $"{TermIndexReader.Prefix}{term}|{asset.Id}", Ref = asset.Id, Data = asset.Name, Weight = weight });
        return rows;
    }
}
