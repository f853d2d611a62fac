using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Kpis;

namespace Fractal.Functions.Mcp.Apps;

/// <summary>
/// What the KPI dashboard draws for a <c>get_kpis</c> call, sent in the result's <c>_meta</c> (only the view reads
/// it; the model reads the small structured content): one tile per KPI with its value over the whole period, and
/// its monthly trend over the twelve months up to the period's end (or the whole period when longer, at most 36).
/// </summary>
public static class KpiDashboard
{
    public const string MetaKey = "fractal/kpiDashboard";
    private const int TrendMonths = 12;
    private const int MaxTrendMonths = 36;

    public sealed record View(DateOnly From, DateOnly To, string? ScopeAssetId, string TimeZone, IReadOnlyList<Tile> Tiles);

    public sealed record Tile(KpiKind Kpi, double? Value, string Unit, string Formula, IReadOnlyList<Point> Trend);

    public sealed record Point(string Month, double? Value);

    /// <summary>Backlog and overdue are snapshots of now: they have no monthly history to draw.</summary>
    private static bool IsSnapshot(KpiKind kind) => kind is KpiKind.BacklogWeeks or KpiKind.OverdueWorkOrders;

    /// <summary>
    /// The report of <paramref name="request"/> and its dashboard, computed from one set of reads
    /// (<see cref="IKpiService.ComputeAllAsync"/>): the whole-period totals (when the request is grouped) and the
    /// monthly trend are further reports over the same scope, so they cost no storage round trip of their own.
    /// </summary>
    public static async Task<DomainResult<(KpiReport Report, View View)>> ComputeAsync(IKpiService kpis, TenantId tenant, KpiRequest request, CancellationToken ct)
    {
        var requests = new List<KpiRequest> { request };
        var wholeAt = -1;
        if (request.GroupBy != KpiGrouping.None)
        {
            wholeAt = requests.Count;
            requests.Add(request with { GroupBy = KpiGrouping.None });
        }
        var trended = request.Kpis.Where(k => !IsSnapshot(k)).Distinct().ToList();
        var trendAt = -1;
        if (trended.Count > 0)
        {
            var lastMonth = KpiRollups.MonthOf(request.To.AddDays(-1));
            var twelve = lastMonth.AddMonths(-(TrendMonths - 1));
            var earliest = lastMonth.AddMonths(-(MaxTrendMonths - 1));
            var periodStart = KpiRollups.MonthOf(request.From);
            var start = periodStart < twelve ? (periodStart < earliest ? earliest : periodStart) : twelve;
            trendAt = requests.Count;
            requests.Add(request with { Kpis = trended, From = start, GroupBy = KpiGrouping.Month });
        }
        var computed = await kpis.ComputeAllAsync(tenant, requests, ct);
        if (!computed.IsSuccess) return computed.Error;
        var reports = computed.Value;

        var totals = (wholeAt >= 0 ? reports[wholeAt] : reports[0]).Results.Where(r => r.Group is null).ToList();
        var series = new Dictionary<KpiKind, List<Point>>();
        if (trendAt >= 0)
        {
            foreach (var r in reports[trendAt].Results.Where(r => r.Group is not null))
            {
                if (!series.TryGetValue(r.Kpi, out var points)) series[r.Kpi] = points = [];
                points.Add(new Point(r.Group!, r.Value is { } v ? Math.Round(v, 6) : null));
            }
        }

        var report = reports[0];
        var tiles = totals.Select(r => new Tile(r.Kpi, r.Value, r.Unit, r.Formula, series.TryGetValue(r.Kpi, out var p) ? p : [])).ToList();
        return (report, new View(report.From, report.To, report.ScopeAssetId, report.TimeZone, tiles));
    }

    /// <summary>The bad-actor chart's caption: the ranking itself is the structured content.</summary>
    public const string RankingMetaKey = "fractal/badActors";

    public sealed record Ranking(DateOnly From, DateOnly To, string By, string Unit);

    public static Ranking RankingOf(BadActorRequest request, string by) => new(request.From, request.To, by,
        request.By switch { BadActorMeasure.Failures => "failures", BadActorMeasure.DowntimeHours => "hours", _ => "currency" });
}
