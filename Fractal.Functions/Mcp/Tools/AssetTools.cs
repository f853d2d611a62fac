using System.ComponentModel;
using System.Security.Claims;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Meters;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>Read tools over locations and assets: list, detail, hierarchy, downtime.</summary>
[McpServerToolType]
public sealed class AssetTools
{
    public sealed record AssetList(IReadOnlyList<Asset> Items, string? NextCursor);

    /// <summary>An asset with what a person looks at next: its meters, latest work orders and open downtime.</summary>
    public sealed record AssetDetails(Asset Asset, IReadOnlyList<Meter> Meters, IReadOnlyList<WorkOrderSummary> RecentWorkOrders, IReadOnlyList<DowntimeInterval> OpenDowntime);

    /// <summary>A compact node of the hierarchy (the whole plant fits in a few KB).</summary>
    public sealed record TreeNode(string Id, string Name, AssetLevel Level, AssetKind Kind, int Priority, bool Active, bool InService, IReadOnlyList<TreeNode>? Children)
    {
        public static TreeNode From(AssetTreeNode n) => new(n.Asset.Id, n.Asset.Name, n.Asset.Level, n.Asset.Kind, n.Asset.Priority, n.Asset.Active, n.Asset.InService,
            n.Children.Count == 0 ? null : n.Children.Select(From).ToList());
    }

    public sealed record LocationTree(IReadOnlyList<TreeNode> Roots);

    public sealed record DowntimeItem(DateTimeOffset Start, DateTimeOffset? End, long Seconds, string Folio, int TaskId, bool IsFailure);

    public sealed record DowntimeReport(string AssetId, int IntervalCount, long TotalSeconds, IReadOnlyList<DowntimeItem> Items, string? NextCursor);

    private const int RecentWorkOrders = 5;

    [McpServerTool(Name = "list_assets", Title = "List assets", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(AssetList))]
    [Description("Use this when you need assets or locations by text, subtree, level or kind; hierarchy order, paged.")]
    public static async Task<CallToolResult> ListAssets(
        IAssetService assets,
        [Description("Words of the name or code")] string? text = null,
        [Description("Asset or location id: only below it")] string? subtree_of = null,
        [Description("site, area, system or equipment")] string? level = null,
        [Description("location, equipment, tool, spare_part or digital")] string? kind = null,
        [Description("Only active assets")] bool active_only = false,
        [Description("1-100, default 25")] int? page_size = null,
        [Description("Previous page's next_cursor")] string? cursor = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var query = new AssetQuery(
            text is null ? null : ToolArguments.Text(text, "text"),
            subtree_of is null ? null : ToolArguments.Text(subtree_of, "subtree_of", 40),
            ToolArguments.Enum<AssetLevel>(level, "level"),
            ToolArguments.Enum<AssetKind>(kind, "kind"),
            active_only);
        var result = await assets.ListAsync(caller.Tenant, query, new PageRequest(ToolArguments.PageSize(page_size), cursor), cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var page = result.Value;
        var summary = page.Items.Count == 0
            ? "No assets match."
            : $"{page.Items.Count} assets: " + string.Join("; ", page.Items.Take(10).Select(a => $"{a.Id} {a.Name}"))
              + (page.NextCursor is null ? "." : ". More pages: pass next_cursor as cursor.");
        return ToolResults.Ok(new AssetList(page.Items, page.NextCursor), summary);
    }

    [McpServerTool(Name = "get_asset", Title = "Get an asset", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(AssetDetails))]
    [Description("Use this when you need one asset or location with its path, meters, latest work orders and open downtime.")]
    public static async Task<CallToolResult> GetAsset(
        IAssetService assets, IMeterService meters, IWorkOrderService workOrders,
        [Description("Asset or location id, e.g. CMP-02")] string id,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var found = await assets.GetAsync(caller.Tenant, ToolArguments.Text(id, "id", 40), cancellationToken);
        if (!found.IsSuccess) return ToolResults.From(found.Error);
        var asset = found.Value;
        // Two reads at once, one per table: the asset and its path came from the instance's asset catalogue (no
        // round trip when warm); the open downtime sits in the asset's order range (docs/performance.md, case 3).
        var meterRead = meters.ListAsync(caller.Tenant, asset.Id, new PageRequest(20), cancellationToken);
        var activityRead = workOrders.GetAssetActivityAsync(caller.Tenant, asset, RecentWorkOrders, cancellationToken);
        var (meterPage, activity) = (await meterRead, await activityRead);
        var details = new AssetDetails(asset, meterPage.IsSuccess ? meterPage.Value.Items : [], activity.RecentWorkOrders, activity.OpenDowntime);
        var open = activity.OpenDowntime;
        var state = asset.InService ? "in service" : "out of service";
        return ToolResults.Ok(details, $"{asset.Id}: {asset.Name} ({asset.Level}, priority {asset.Priority}, {state}); {details.Meters.Count} meters, {open.Count} open downtime.");
    }

    [McpServerTool(Name = "get_location_tree", Title = "Get the location tree", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(LocationTree))]
    [Description("Use this when you need the site > area > system > equipment hierarchy from a root, to a depth.")]
    public static async Task<CallToolResult> GetLocationTree(
        IAssetService assets,
        [Description("Root id; omit for every site")] string? root_id = null,
        [Description("Depth 1-4, default 2")] int? depth = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        if (depth is < 1 or > 4) throw ToolArguments.Invalid("depth must be between 1 and 4.");
        var caller = McpCaller.From(user)!;
        var root = root_id is null ? null : ToolArguments.Text(root_id, "root_id", 40);
        var result = await assets.GetTreeAsync(caller.Tenant, root, depth ?? 2, cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var roots = result.Value.Select(TreeNode.From).ToList();
        static int Count(TreeNode n) => 1 + (n.Children?.Sum(Count) ?? 0);
        return ToolResults.Ok(new LocationTree(roots),
            $"{roots.Sum(Count)} nodes under {(root ?? "every site")}: " + string.Join("; ", roots.Select(r => $"{r.Id} {r.Name}")) + ".");
    }

    [McpServerTool(Name = "get_asset_downtime", Title = "Get asset downtime", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(DowntimeReport))]
    [Description("Use this when you need an asset's out-of-service intervals in a date range, oldest first.")]
    public static async Task<CallToolResult> GetAssetDowntime(
        IAssetService assets, ITenantSettingsService settings, TimeProvider time,
        [Description("Asset id, e.g. LLE-01")] string asset_id,
        [Description("Range start: yyyy-mm-dd (plant day) or date-time")] string? from = null,
        [Description("Range end (exclusive), same format")] string? to = null,
        [Description(TenantTime.PeriodSeeList)] string? period = null,
        [Description("1-100, default 50")] int? page_size = null,
        [Description("Previous page's next_cursor")] string? cursor = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var local = await TenantTime.ForAsync(settings, time, caller.Tenant, cancellationToken);
        var (fromAt, toAt) = local.Range(from, to, period);
        if (fromAt >= toAt) throw ToolArguments.Invalid("from must be before to.");
        var size = ToolArguments.PageSize(page_size, 50);
        var id = ToolArguments.Text(asset_id, "asset_id", 40);
        var result = await assets.GetDowntimeAsync(caller.Tenant, id, fromAt, toAt, cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var now = time.GetUtcNow();
        var all = result.Value;
        var fingerprint = $"{id}|{fromAt:O}|{toAt:O}";
        if (!OffsetCursor.TryRead(cursor, fingerprint, out var offset)) return ToolResults.From(MaintenanceErrors.InvalidCursor());
        var items = all.Skip(offset).Take(size).Select(i => new DowntimeItem(i.Start, i.End, i.Seconds(now), i.Folio, i.TaskId, i.IsFailure)).ToList();
        var next = offset + items.Count < all.Count ? OffsetCursor.Write(offset + items.Count, fingerprint) : null;
        var total = all.Sum(i => i.Seconds(now));
        var report = new DowntimeReport(id.ToUpperInvariant(), all.Count, total, items, next);
        return ToolResults.Ok(report, $"{report.AssetId}: {all.Count} out-of-service intervals, {total / 3600.0:0.#} h in total"
            + (next is null ? "." : "; more pages: pass next_cursor as cursor."));
    }
}
