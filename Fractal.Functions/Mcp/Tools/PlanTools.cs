using System.ComponentModel;
using System.Security.Claims;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Meters;
using Fractal.Functions.Maintenance.Domain.Plans;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>Read tools over meters and the preventive forecast (pending tasks of the plans).</summary>
[McpServerToolType]
public sealed class PlanTools
{
    /// <summary>A meter as the model reads it: last reading and monthly average, no running sums.</summary>
    public sealed record MeterItem(string Id, string AssetId, string Name, string Unit, MeterKind Kind, string? Serial, double? LastValue, DateTimeOffset? LastReadingAt, double? MonthlyAverage)
    {
        public static MeterItem From(Meter m) => new(m.Id, m.AssetId, m.Name, m.Unit, m.Kind, m.Serial, m.LastValue, m.LastReadingAt,
            m.MonthlyAverage is { } avg ? Math.Round(avg, 2) : null);
    }

    public sealed record MeterList(IReadOnlyList<MeterItem> Items, string? NextCursor);

    public sealed record PendingTaskItem(string Id, string PlanId, string AssetId, string AssetName, string Description, TriggerKind Trigger, int Interval,
        int EstimatedMinutes, DateTimeOffset? CalculatedDueAt, DateTimeOffset? ScheduledAt, DateTimeOffset? LastDoneAt, bool Overdue);

    public sealed record PendingTaskList(IReadOnlyList<PendingTaskItem> Items, string? NextCursor);

    [McpServerTool(Name = "list_meters", Title = "List meters", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(MeterList))]
    [Description("Use this when you need meters with their last reading and monthly average, of one asset or all.")]
    public static async Task<CallToolResult> ListMeters(
        IMeterService meters, IAssetService assets,
        [Description("Asset id; default all")] string? asset_id = null,
        [Description("1-100, default 25")] int? page_size = null,
        [Description("Previous page's next_cursor")] string? cursor = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var asset = await KnownAssetAsync(assets, caller, asset_id, cancellationToken);
        if (asset is { IsSuccess: false }) return ToolResults.From(asset.Value.Error);
        var result = await meters.ListAsync(caller.Tenant, asset?.Value, new PageRequest(ToolArguments.PageSize(page_size), cursor), cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var items = result.Value.Items.Select(MeterItem.From).ToList();
        var summary = items.Count == 0
            ? "No meters match."
            : $"{items.Count} meters: " + string.Join("; ", items.Take(10).Select(m => $"{m.Id} {m.Name} = {m.LastValue} {m.Unit}"))
              + (result.Value.NextCursor is null ? "." : ". More pages: pass next_cursor as cursor.");
        return ToolResults.Ok(new MeterList(items, result.Value.NextCursor), summary);
    }

    [McpServerTool(Name = "list_pending_tasks", Title = "List pending preventive tasks", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(PendingTaskList))]
    [Description("Use this when you need the preventive forecast or overdue PM tasks, by calculated due date (oldest first), paged.")]
    public static async Task<CallToolResult> ListPendingTasks(
        IPlanService plans, IAssetService assets, ITenantSettingsService settings, TimeProvider time,
        [Description("Due from: yyyy-mm-dd (plant day) or date-time")] string? due_from = null,
        [Description("Due before (exclusive), same format")] string? due_to = null,
        [Description(TenantTime.PeriodSeeList)] string? period = null,
        [Description("Only tasks past due")] bool overdue_only = false,
        [Description("Asset id (exact)")] string? asset_id = null,
        [Description("1-100, default 25")] int? page_size = null,
        [Description("Previous page's next_cursor")] string? cursor = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var local = await TenantTime.ForAsync(settings, time, caller.Tenant, cancellationToken);
        var (from, to) = local.Range(due_from, due_to, period, "due_from", "due_to");
        if (from >= to) throw ToolArguments.Invalid("due_from must be before due_to.");
        var size = ToolArguments.PageSize(page_size);
        var asset = await KnownAssetAsync(assets, caller, asset_id, cancellationToken);
        if (asset is { IsSuccess: false }) return ToolResults.From(asset.Value.Error);
        var result = await plans.ListPendingTasksAsync(caller.Tenant, new PendingTaskQuery(from, to, overdue_only, asset?.Value), new PageRequest(size, cursor), cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var now = time.GetUtcNow();
        var items = result.Value.Items.Select(p => new PendingTaskItem(p.Id, p.PlanId, p.AssetId, p.AssetName, p.Description, p.Trigger, p.Interval,
            p.EstimatedMinutes, p.CalculatedDueAt, p.ScheduledAt, p.LastDoneAt, p.IsOverdue(now))).ToList();
        var summary = items.Count == 0
            ? "No pending tasks match."
            : $"{items.Count} pending tasks ({items.Count(i => i.Overdue)} overdue): " + string.Join("; ", items.Take(10).Select(i => $"{i.AssetId} {i.Description} due {(i.CalculatedDueAt is { } d ? local.DayOf(d) : "-")}"))
              + (result.Value.NextCursor is null ? "." : ". More pages: pass next_cursor as cursor.");
        return ToolResults.Ok(new PendingTaskList(items, result.Value.NextCursor), summary);
    }

    /// <summary>The asset filter, checked to exist (an unknown asset is an error the model can fix, not an empty list); null when absent.</summary>
    private static async Task<DomainResult<string>?> KnownAssetAsync(IAssetService assets, McpCaller caller, string? assetId, CancellationToken ct)
    {
        if (assetId is null) return null;
        var found = await assets.GetAsync(caller.Tenant, ToolArguments.Text(assetId, "asset_id", 40), ct);
        return found.Map(a => a.Id);
    }
}
