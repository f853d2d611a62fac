using System.Text.RegularExpressions;

namespace Fractal.Functions.Maintenance.Domain.Assets;

/// <summary>Where an asset sits in the hierarchy site > area > system > equipment.</summary>
public enum AssetLevel
{
    Site = 1,
    Area = 2,
    System = 3,
    Equipment = 4,
}

public enum AssetKind
{
    Location = 1,
    Equipment = 2,
    Tool = 3,
    SparePart = 4,
    Digital = 5,
}

/// <summary>
/// A location or asset. <see cref="Id"/> is its code (upper-case letters, digits, dashes), unique in the
/// tenant and immutable. <see cref="Path"/> is the materialised path of codes from the site down to the
/// asset itself, each followed by a dot (<c>PEA.SRV.AIRE.CMP-02.</c>): a subtree is every asset whose path
/// starts with the root's path, which is one RowKey range in storage. Assets do not move (a move would be
/// a migration that re-keys its subtree and their work orders).
/// </summary>
public sealed partial record Asset(
    string Id,
    string Name,
    AssetKind Kind,
    AssetLevel Level,
    string? ParentId,
    string Path,
    int Priority,
    bool Active = true,
    bool InService = true,
    string? Description = null,
    IReadOnlyDictionary<string, string>? CustomFields = null,
    IReadOnlyList<string>? Groups = null)
{
    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{0,31}$")]
    private static partial Regex CodePattern();

    public static bool IsValidCode(string? code) => code is not null && CodePattern().IsMatch(code);

    /// <summary>0 for the site, 1 for an area, and so on.</summary>
    public int Depth => Path.Count(c => c == '.') - 1;

    public static string ChildPath(string? parentPath, string code) => (parentPath ?? "") + code + ".";

    /// <summary>The paths of the site down to <paramref name="path"/>'s own asset: "A.", "A.B.", "A.B.C." for "A.B.C.".</summary>
    public static IEnumerable<string> PathsUpTo(string path)
    {
        for (var end = path.IndexOf('.'); end >= 0; end = path.IndexOf('.', end + 1)) yield return path[..(end + 1)];
    }
}

/// <summary>A node of <c>get_location_tree</c>.</summary>
public sealed record AssetTreeNode(Asset Asset, IReadOnlyList<AssetTreeNode> Children);

/// <summary>An out-of-service interval of an asset, from a work-order task. Open while <see cref="End"/> is null.</summary>
public sealed record DowntimeInterval(string AssetId, DateTimeOffset Start, DateTimeOffset? End, string Folio, int TaskId, bool IsFailure)
{
    /// <summary>Seconds out of service, counting an open interval up to <paramref name="asOf"/>.</summary>
    public long Seconds(DateTimeOffset asOf) => (long)Math.Max(0, ((End ?? asOf) - Start).TotalSeconds);
}
