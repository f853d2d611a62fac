using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Maintenance.Kpis;

/// <summary>
/// Everything a KPI computation reads, already limited to the scope: the assets, their day facts (from the
/// month rollups), their open work, the overdue orders and the downtime still open.
/// </summary>
public sealed class KpiData
{
    public required IReadOnlyDictionary<string, Asset> Assets { get; init; }
    public required IReadOnlyDictionary<string, SortedDictionary<DateOnly, DayFacts>> Days { get; init; }
    public required IReadOnlyDictionary<string, OpenFacts> Open { get; init; }
    public required IReadOnlyList<WorkOrderSummary> Overdue { get; init; }
    public required IReadOnlyList<DowntimeInterval> OpenDowntime { get; init; }

    /// <summary>Builds the inputs from rollup content (month → asset → day of month → facts) for the assets in scope.</summary>
    public static KpiData From(
        IReadOnlyDictionary<string, Asset> assets,
        IEnumerable<(DateOnly Month, SortedDictionary<string, SortedDictionary<int, DayFacts>> Facts)> months,
        IReadOnlyDictionary<string, OpenFacts> open,
        IEnumerable<WorkOrderSummary> overdue,
        IEnumerable<DowntimeInterval> openDowntime)
    {
        var days = new Dictionary<string, SortedDictionary<DateOnly, DayFacts>>(StringComparer.Ordinal);
        foreach (var (month, byAsset) in months)
        foreach (var (asset, byDay) in byAsset)
        {
            if (!assets.ContainsKey(asset)) continue;
            if (!days.TryGetValue(asset, out var series)) days[asset] = series = [];
            foreach (var (day, facts) in byDay) series[month.AddDays(day - 1)] = facts;
        }
        return new KpiData
        {
            Assets = assets, Days = days,
            Open = open.Where(o => assets.ContainsKey(o.Key)).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal),
            Overdue = overdue.Where(o => assets.ContainsKey(o.AssetId)).ToList(),
            OpenDowntime = openDowntime.Where(d => assets.ContainsKey(d.AssetId)).ToList(),
        };
    }
}
