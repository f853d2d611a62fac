using System.ComponentModel;
using System.Security.Claims;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Activity;
using Fractal.Functions.Mcp.Records;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>The activity feed: what changed in the plant, for a shift handover.</summary>
[McpServerToolType]
public sealed class ActivityTools
{
    public sealed record ActivityList(IReadOnlyList<ActivityEvent> Items, string? NextCursor);

    [McpServerTool(Name = "get_activity", Title = "Activity feed", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ActivityList))]
    [Description("Use this when you need what changed (status, tasks, notes, parts, readings, requests), e.g. a shift handover; newest first.")]
    public static async Task<CallToolResult> GetActivity(
        IActivityService activity, IAssetService assets, IPeopleService people, ITenantSettingsService settings, TimeProvider time,
        [Description("Asset, location or plant id (and below)")] string? asset_id = null,
        [Description("Person id or name (actor or responsible)")] string? person = null,
        [Description("Since: yyyy-mm-dd or date-time, plant time")] string? from = null,
        [Description("Until (exclusive), same format")] string? to = null,
        [Description(TenantTime.PeriodSeeList)] string? period = null,
        [Description("1-100, default 25")] int? page_size = null,
        [Description("Previous page's next_cursor")] string? cursor = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        // Each source needs its own read permission, as search and fetch do for each kind.
        var sources = (caller.Can(Permissions.WorkOrdersRead) ? ActivitySources.WorkOrders : 0)
                      | (caller.Can(Permissions.AssetsRead) ? ActivitySources.Meters : 0)
                      | (caller.Can(Permissions.RequestsRead) ? ActivitySources.Requests : 0);
        if (sources == ActivitySources.None) return McpCaller.Refusal(Permissions.WorkOrdersRead);
        string? path = null;
        if (!string.IsNullOrWhiteSpace(asset_id))
        {
            var asset = await assets.GetAsync(caller.Tenant, ToolArguments.Text(asset_id, "asset_id", 60), cancellationToken);
            if (!asset.IsSuccess) return ToolResults.From(asset.Error);
            path = asset.Value.Path;
        }
        var who = await PersonArguments.ResolveAsync(people, caller, person, "person", assignableOnly: false, cancellationToken);
        if (!who.IsSuccess) return ToolResults.From(who.Error);
        var local = await TenantTime.ForAsync(settings, time, caller.Tenant, cancellationToken);
        var (since, until) = local.Range(from, to, period);
        var query = new ActivityQuery(path, who.Value, since, until);
        var result = await activity.ReadAsync(caller.Tenant, query, sources, new PageRequest(ToolArguments.PageSize(page_size), cursor), cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var page = result.Value;
        var names = await people.NamesAsync(caller.Tenant, cancellationToken);
        var summary = page.Items.Count == 0
            ? "No activity matches."
            : $"{page.Items.Count} events, newest first: " + string.Join("; ", page.Items.Take(10).Select(e =>
                  $"{RecordReader.Date(e.At, local.Clock)} {e.Record} {e.Kind}{(e.To is null ? "" : " → " + e.To)}: {e.Text} (by {PersonNames.Show(names, e.UserId)})"))
              + (page.Items.Count > 10 ? $"; and {page.Items.Count - 10} more in the structured content" : "")
              + (page.NextCursor is null ? "." : ". Older events: pass next_cursor as cursor.");
        return ToolResults.Ok(new ActivityList(page.Items, page.NextCursor), summary);
    }
}
