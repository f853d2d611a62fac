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
        IKpiService kpis, ITenantSettingsService settings, TimeProvider time,
        [Description("First local date, yyyy-mm-dd")] string? from = null,
        [Description("Day after the last, yyyy-mm-dd")] string? to = null,
        [Description(TenantTime.PeriodSeeList)] string? period = null,
        [Description("Any of: failures, downtime_hours, availability, mtbf, mttr, inherent_availability, pm_compliance, planned_maintenance_percent, backlog_weeks, overdue_work_orders, completion_rate, maintenance_cost, first_time_fix_rate; default all")] string[]? kpi = null,
        [Description("Location or asset id; default the whole plant")] string? scope_asset_id = null,
        [Description("none, month or asset")] string? group_by = null,
        [Description("PM compliance grace: none, one_day or percent20")] string? grace = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var kinds = (kpi ?? []).Select(k => ToolArguments.Enum<KpiKind>(k, "kpi")!.Value).Distinct().ToList();
        var (first, end) = await DaysAsync(settings, time, caller, from, to, period, cancellationToken);
        var request = new KpiRequest(kinds.Count == 0 ? Enum.GetValues<KpiKind>() : kinds, first, end, scope_asset_id,
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
        IKpiService kpis, ITenantSettingsService settings, TimeProvider time,
        [Description("First local date, yyyy-mm-dd")] string? from = null,
        [Description("Day after the last, yyyy-mm-dd")] string? to = null,
        [Description(TenantTime.PeriodSeeList)] string? period = null,
        [Description("failures, downtime_hours or cost")] string by = "failures",
        [Description("How many, 1-20; default 5")] int top = 5,
        [Description("A location id to limit the ranking")] string? scope_asset_id = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        if (top is < 1 or > 20) throw ToolArguments.Invalid("top must be between 1 and 20.");
        var caller = McpCaller.From(user)!;
        var measure = ToolArguments.Enum<BadActorMeasure>(by, "by") ?? BadActorMeasure.Failures;
        var (first, end) = await DaysAsync(settings, time, caller, from, to, period, cancellationToken);
        var request = new BadActorRequest(first, end, measure, top, scope_asset_id);
        if (request.To <= request.From) throw ToolArguments.Invalid("to must be after from.");
        var result = await kpis.RankBadActorsAsync(caller.Tenant, request, cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var summary = string.Join("; ", result.Value.Select((a, i) => $"{i + 1}. {a.AssetName} ({a.AssetId}) {a.Value.ToString("0.##", CultureInfo.InvariantCulture)}"));
        return ToolResults.Ok(new BadActorRanking(by, result.Value), result.Value.Count == 0 ? "No assets in scope." : $"By {by}: {summary}.",
            KpiDashboard.RankingMetaKey, KpiDashboard.RankingOf(request, by));
    }

    /// <summary>The local days [from, to) the caller named, or those of a period word ("last_quarter") counted from the plant's today.</summary>
    private static async Task<(DateOnly First, DateOnly End)> DaysAsync(ITenantSettingsService settings, TimeProvider time, McpCaller caller,
        string? from, string? to, string? period, CancellationToken ct)
    {
        if (period is null)
        {
            // Without a period both dates are required; the message names the missing one like the schema check does.
            if (string.IsNullOrEmpty(from)) throw ToolArguments.Invalid("'from' is required (or give period).");
            if (string.IsNullOrEmpty(to)) throw ToolArguments.Invalid("'to' is required (or give period).");
            return (TenantTime.Day(from, "from"), TenantTime.Day(to, "to"));
        }
        if (!string.IsNullOrEmpty(from) || !string.IsNullOrEmpty(to)) throw ToolArguments.Invalid("Give from/to or period, not both.");
        var local = await TenantTime.ForAsync(settings, time, caller.Tenant, ct);
        return local.PeriodDays(period)!.Value;
    }
}
