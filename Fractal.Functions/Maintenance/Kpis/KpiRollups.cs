using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Fractal.Functions.Maintenance.Domain.Tenancy;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Stores;
using MonthFacts = System.Collections.Generic.SortedDictionary<string, System.Collections.Generic.SortedDictionary<int, Fractal.Functions.Maintenance.Kpis.DayFacts>>;
using OpenState = System.Collections.Generic.SortedDictionary<string, Fractal.Functions.Maintenance.Kpis.OpenFacts>;

namespace Fractal.Functions.Maintenance.Kpis;

/// <summary>
/// The KPI rollup rows of the work-order partition: one per local month (<c>kpi|m|yyyy-MM</c>: asset → day
/// of month → <see cref="DayFacts"/>) and one for the open work (<see cref="OpenKey"/>: asset → <see cref="OpenFacts"/>).
/// Month rows (not day rows) bound the rows one change touches: a long downtime spans a few months, not
/// dozens of days, so an order's change always fits its transaction.
/// </summary>
public static class KpiRollups
{
    public const string MonthPrefix = "kpi|m|";

    /// <summary>
    /// The open-work row. Keyed to sort right before the open downtime (<c>x|do-kpi-open</c> &lt; <c>x|do|…</c>, and after
    /// every <c>x|de|…</c> row), so the KPI reads take it, the open downtime and the overdue orders as one RowKey range.
    /// </summary>
    public const string OpenKey = "x|do-kpi-open";

    /// <summary>
    /// Where the open-work row was kept before (right after the month rows). A tenant written before the move still has
    /// it there: the KPI reads fall back to it while <see cref="OpenKey"/> is missing, and the tenant's next work-order
    /// change that touches open work moves it (<see cref="KpiRollupWriter"/>, in that change's own transaction).
    /// </summary>
    public const string LegacyOpenKey = "kpi|open";

    public static string MonthKey(DateOnly month) => MonthPrefix + month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static DateOnly MonthOf(DateOnly day) => new(day.Year, day.Month, 1);

    /// <summary>Adds <paramref name="sign"/> × an order's contributions into month facts, dropping what becomes empty.</summary>
    public static void Apply(IDictionary<DateOnly, MonthFacts> months, string assetId, IEnumerable<(DateOnly Day, DayFacts Facts)> contributions, int sign)
    {
        foreach (var (day, facts) in contributions)
        {
            var month = MonthOf(day);
            if (!months.TryGetValue(month, out var byAsset)) months[month] = byAsset = new MonthFacts(StringComparer.Ordinal);
            if (!byAsset.TryGetValue(assetId, out var byDay)) byAsset[assetId] = byDay = [];
            if (!byDay.TryGetValue(day.Day, out var current)) byDay[day.Day] = current = new DayFacts();
            current.Add(facts, sign);
            if (current.IsEmpty) byDay.Remove(day.Day);
            if (byDay.Count == 0) byAsset.Remove(assetId);
        }
    }

    public static void ApplyOpen(OpenState open, string assetId, OpenFacts? facts, int sign)
    {
        if (facts is null) return;
        if (!open.TryGetValue(assetId, out var current)) open[assetId] = current = new OpenFacts();
        current.Add(facts, sign);
        if (current.IsEmpty) open.Remove(assetId);
    }

    /// <summary>Every rollup of a set of orders, computed from scratch (bulk loads, and the check that the incremental rows are right).</summary>
    public static (SortedDictionary<DateOnly, MonthFacts> Months, OpenState Open) Build(IEnumerable<WorkOrder> orders, TenantSettings settings)
    {
        var clock = settings.Clock();
        var months = new SortedDictionary<DateOnly, MonthFacts>();
        var open = new OpenState(StringComparer.Ordinal);
        foreach (var wo in orders)
        {
            Apply(months, wo.AssetId, KpiContributions.Of(wo, clock, settings.Calendar), +1);
            ApplyOpen(open, wo.AssetId, KpiContributions.Open(wo), +1);
        }
        return (months, open);
    }

    public static IEnumerable<ITableEntity> Rows(string partition, IEnumerable<WorkOrder> orders, TenantSettings settings)
    {
        var (months, open) = Build(orders, settings);
        foreach (var (month, facts) in months) yield return EncodeMonth(partition, month, facts);
        yield return EncodeOpen(partition, open);
    }

    public static TableEntity EncodeMonth(string partition, DateOnly month, MonthFacts facts, ETag etag = default) =>
        RecordCodec.Encode(partition, MonthKey(month), "kpi-month", facts, KpiJson.Default.SortedDictionaryStringSortedDictionaryInt32DayFacts, etag);

    public static MonthFacts DecodeMonth(TableEntity row) => RecordCodec.Decode(row, KpiJson.Default.SortedDictionaryStringSortedDictionaryInt32DayFacts);

    public static TableEntity EncodeOpen(string partition, OpenState open, ETag etag = default) =>
        RecordCodec.Encode(partition, OpenKey, "kpi-open", open, KpiJson.Default.SortedDictionaryStringOpenFacts, etag);

    public static OpenState DecodeOpen(TableEntity row) => RecordCodec.Decode(row, KpiJson.Default.SortedDictionaryStringOpenFacts);

    /// <summary>A month from its RowKey.</summary>
    public static DateOnly ParseMonth(string rowKey) => DateOnly.ParseExact(rowKey[MonthPrefix.Length..] + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
