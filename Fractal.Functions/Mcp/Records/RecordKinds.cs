using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Search;

namespace Fractal.Functions.Mcp.Records;

/// <summary>
/// The kinds of record <c>search</c>, <c>fetch</c> and the record pages know, by their reference prefix
/// (<c>wo:OT-12</c>, <c>asset:CMP-02</c>, <c>request:SR-3</c>, <c>part:ROD-02</c>, <c>plan:PM-AIRE</c>), and the
/// read permission each needs.
/// </summary>
public static class RecordKinds
{
    public static string ReadPermission(SearchKind kind) => kind switch
    {
        SearchKind.WorkOrder => Permissions.WorkOrdersRead,
        SearchKind.Asset => Permissions.AssetsRead,
        SearchKind.Request => Permissions.RequestsRead,
        SearchKind.Part => Permissions.InventoryRead,
        SearchKind.Plan => Permissions.PlansRead,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The kind named by a prefix (<c>wo</c>, <c>asset</c>...), case-insensitive.</summary>
    public static bool TryParse(string? prefix, out SearchKind kind)
    {
        foreach (var k in SearchKinds.All)
        {
            if (string.Equals(SearchKinds.Prefix(k), prefix, StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        }
        kind = default;
        return false;
    }

    /// <summary>Splits a reference <c>kind:id</c>; false when the prefix is unknown or the id empty.</summary>
    public static bool TryParseReference(string? reference, out SearchKind kind, out string id)
    {
        id = "";
        kind = default;
        var colon = reference?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0 || !TryParse(reference![..colon], out kind)) return false;
        id = reference[(colon + 1)..].Trim();
        return id.Length > 0;
    }

    public static string Reference(SearchKind kind, string id) => $"{SearchKinds.Prefix(kind)}:{id}";
}
