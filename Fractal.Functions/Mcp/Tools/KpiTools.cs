using System.ComponentModel;
using System.Globalization;
using System.Security.Claims;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Kpis;
using Fractal.Functions.Mcp.Apps;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>Maintenance KPIs (formulas in docs/kpis.md): every value comes with its formula, numerator, denominator and coverage.</summary>
[McpServerToolType]
public sealed class KpiTools
{
    public sealed record BadActorRanking(string By, IReadOnlyList<BadActor> Assets);

    [McpServerTool(Name = "get_kpis", Title = "Maintenance KPIs", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(KpiReport))]
    [Description("Use this when asked for MTBF, MTTR, availability, PM compliance, backlog, overdue, completion, cost or first-time fix over a period.")]
    public static async Task<CallToolResult> GetKpis(
        IKpiService kpis,
        [Description("First local date, yyyy-mm-dd")] string from,
        [Description("Day after the last local date, yyyy-mm-dd")] string to,
        [Description("Any of: failures, downtime_hours, availability, mtbf (fleet and line views), mttr, inherent_availability, pm_compliance, planned_maintenance_percent, backlog_weeks, overdue_work_orders, completion_rate, maintenance_cost, first_time_fix_rate; default all")] string[]? kpi = null,
        [Description("A location or asset id to limit the scope; default the whole plant")] string? scope_asset_id = null,
        [Description("none, month or asset")] string? group_by = null,
        [Description("PM compliance grace: none, one_day or percent20")] string? grace = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var kinds = (kpi ?? []).Select(k => ToolArguments.Enum<KpiKind>(k, "kpi")!.Value).Distinct().ToList();
        var request = new KpiRequest(kinds.Count == 0 ? Enum.GetValues<KpiKind>() : kinds, Day(from, "from"), Day(to, "to"), scope_asset_id,
            ToolArguments.Enum<KpiGrouping>(group_by, "group_by") ?? KpiGrouping.None, ToolArguments.Enum<GraceRule>(grace, "grace") ?? GraceRule.None);
        if (request.To <= request.From) throw ToolArguments.Invalid("to must be after from.");
        var result = await KpiDashboard.ComputeAsync(kpis, caller.Tenant, request, cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var (report, view) = result.Value;
        return ToolResults.Ok(report, KpiText.Of(report), KpiDashboard.MetaKey, view);
    }

    [McpServerTool(Name = "rank_bad_actors", Title = "Rank bad actors", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(BadActorRanking))]
    [Description("Use this when asked which assets fail most, stop longest or cost most in a period.")]
    public static async Task<CallToolResult> RankBadActors(
        IKpiService kpis,
        [Description("First local date, yyyy-mm-dd")] string from,
        [Description("Day after the last local date, yyyy-mm-dd")] string to,
        [Description("failures, downtime_hours or cost")] string by = "failures",
        [Description("How many, 1-20; default 5")] int top = 5,
        [Description("A location id to limit the ranking")] string? scope_asset_id = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        if (top is < 1 or > 20) throw ToolArguments.Invalid("top must be between 1 and 20.");
        var caller = McpCaller.From(user)!;
        var measure = ToolArguments.Enum<BadActorMeasure>(by, "by") ?? BadActorMeasure.Failures;
        var request = new BadActorRequest(Day(from, "from"), Day(to, "to"), measure, top, scope_asset_id);
        if (request.To <= request.From) throw ToolArguments.Invalid("to must be after from.");
        var result = await kpis.RankBadActorsAsync(caller.Tenant, request, cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var summary = string.Join("; ", result.Value.Select((a, i) => $"{i + 1}. {a.AssetName} ({a.AssetId}) {a.Value.ToString("0.##", CultureInfo.InvariantCulture)}"));
        return ToolResults.Ok(new BadActorRanking(by, result.Value), result.Value.Count == 0 ? "No assets in scope." : $"By {by}: {summary}.",
            KpiDashboard.RankingMetaKey, KpiDashboard.RankingOf(request, by));
    }

    private static DateOnly Day(string? value, string name) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw ToolArguments.Invalid($"{name} must be a date, yyyy-mm-dd.");
}
