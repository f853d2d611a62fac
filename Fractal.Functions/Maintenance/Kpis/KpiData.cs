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

    private readonly Dictionary<string, (DateOnly[] Days, DayFacts[] Facts)> _series = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Asset, string Type), long[]> _occurrences = [];

    /// <summary>An asset's facts in [from, to), found by binary search in its day series.</summary>
    public ArraySegment<DayFacts> Range(string asset, DateOnly from, DateOnly to, out ArraySegment<DateOnly> days)
    {
        if (!_series.TryGetValue(asset, out var series))
        {
            var source = Days.TryGetValue(asset, out var d) ? d : [];
            _series[asset] = series = (source.Keys.ToArray(), source.Values.ToArray());
        }
        var start = LowerBound(series.Days, from);
        var end = LowerBound(series.Days, to);
        days = new ArraySegment<DateOnly>(series.Days, start, end - start);
        return new ArraySegment<DayFacts>(series.Facts, start, end - start);
    }

    /// <summary>The failure times (Unix seconds, sorted) of one type on one asset, over everything loaded.</summary>
    public long[] Occurrences(string asset, string type)
    {
        if (_occurrences.Count == 0)
        {
            foreach (var (a, series) in Days)
            foreach (var group in series.Values.SelectMany(f => f.Occurrences ?? []).GroupBy(o => o.Type))
                _occurrences[(a, group.Key)] = group.Select(o => o.At).Order().ToArray();
            _occurrences[("", "")] = [];
        }
        return _occurrences.GetValueOrDefault((asset, type)) ?? [];
    }

    private static int LowerBound(DateOnly[] days, DateOnly value)
    {
        var index = Array.BinarySearch(days, value);
        return index >= 0 ? index : ~index;
    }

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
