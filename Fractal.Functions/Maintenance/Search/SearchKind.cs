using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Search;

/// <summary>The kinds of record the search covers, each with its own term index in its own table.</summary>
public enum SearchKind
{
    WorkOrder = 1,
    Asset = 2,
    Request = 3,
    Part = 4,
    Plan = 5,
}

/// <summary>A search result: <see cref="Id"/> is what <c>fetch</c> takes after the kind prefix (wo:OT-12, asset:CMP-02...).</summary>
public sealed record SearchHit(SearchKind Kind, string Id, string Title, double Score)
{
    public string Reference => $"{SearchKinds.Prefix(Kind)}:{Id}";
}

public static class SearchKinds
{
    public static IReadOnlyList<SearchKind> All { get; } = Enum.GetValues<SearchKind>();

    public static string Prefix(SearchKind kind) => kind switch
    {
        SearchKind.WorkOrder => "wo",
        SearchKind.Asset => "asset",
        SearchKind.Request => "request",
        SearchKind.Part => "part",
        SearchKind.Plan => "plan",
        _ => kind.ToString().ToLowerInvariant(),
    };

    internal static string Table(SearchKind kind) => kind switch
    {
        SearchKind.WorkOrder => TableNames.WorkOrders,
        SearchKind.Asset => TableNames.Assets,
        SearchKind.Request => TableNames.Requests,
        SearchKind.Part => TableNames.Inventory,
        SearchKind.Plan => TableNames.Plans,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
