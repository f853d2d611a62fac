using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Tenancy;

namespace Fractal.Functions.Maintenance.Kpis;

/// <summary>
/// The KPI formulas over <see cref="KpiData"/>, as pure functions of the data, the tenant's clock and
/// calendar, and the as-of instant. Periods are local dates [from, to). Times are summed in whole seconds
/// and divided once, so results are exact and reproducible. docs/kpis.md states each formula.
/// </summary>
public sealed class KpiCalculator(KpiData data, TenantClock clock, OperatingCalendar calendar, double crewHoursPerWeek, DateTimeOffset asOf)
{
    private const double Hour = 3600;

    public KpiResult Compute(KpiKind kind, DateOnly from, DateOnly to, IReadOnlyCollection<string> assets, string? group, GraceRule grace, int firstTimeFixDays) => kind switch
    {
        KpiKind.Failures => Count(kind, group, Sum(from, to, assets, f => f.Failures), "failures", "count of failure-coded tasks (orders not cancelled), on the day the asset stopped"),
        KpiKind.DowntimeHours => Ratio(kind, group, Downtime(from, to, assets) / Hour, 1, "hours", "Σ out-of-service time inside operating time (open intervals up to as-of)",
            new KpiCoverage(Sum(from, to, assets, f => f.DownIntervals) + OpenIntervals(from, to, assets), 0, OpenNote(from, to, assets))),
        KpiKind.Availability => Availability(group, from, to, assets),
        KpiKind.Mtbf => Mtbf(group, from, to, assets),
        KpiKind.MtbfLine => MtbfLine(group, from, to, assets),
        KpiKind.Mttr => Mttr(group, from, to, assets),
        KpiKind.InherentAvailability => Inherent(group, from, to, assets),
        KpiKind.PmCompliance => PmCompliance(group, from, to, assets, grace),
        KpiKind.PlannedMaintenancePercent => Ratio(kind, group, Sum(from, to, assets, f => f.RealMinutesPlanned) / 60.0, Sum(from, to, assets, f => f.RealMinutes) / 60.0, "ratio",
            "real hours of preventive + inspection tasks / real hours of all tasks, tasks ended in the period (orders not cancelled)",
            new KpiCoverage(Sum(from, to, assets, f => f.TasksTimed), Sum(from, to, assets, f => f.TasksUntimed))),
        KpiKind.BacklogWeeks => Backlog(group, assets),
        KpiKind.OverdueWorkOrders => Overdue(group, assets),
        KpiKind.CompletionRate => Ratio(kind, group, Sum(from, to, assets, f => f.DueEnded), Sum(from, to, assets, f => f.Due), "ratio",
            "orders due in the period whose work has ended (by as-of) / orders due in the period (not cancelled)",
            new KpiCoverage(Sum(from, to, assets, f => f.Due), 0)),
        KpiKind.MaintenanceCost => Cost(group, from, to, assets),
        KpiKind.FirstTimeFixRate => FirstTimeFix(group, from, to, assets, firstTimeFixDays),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public IEnumerable<(DateOnly Day, DayFacts Facts)> Facts(string asset, DateOnly from, DateOnly to)
    {
        var facts = data.Range(asset, from, to, out var days);
        for (var i = 0; i < facts.Count; i++) yield return (days[i], facts[i]);
    }

    public long Sum(DateOnly from, DateOnly to, IEnumerable<string> assets, Func<DayFacts, long> value)
    {
        long total = 0;
        foreach (var asset in assets)
            foreach (var f in data.Range(asset, from, to, out _)) total += value(f);
        return total;
    }

    public decimal SumMoney(DateOnly from, DateOnly to, IEnumerable<string> assets, Func<DayFacts, decimal> value)
    {
        decimal total = 0;
        foreach (var asset in assets)
            foreach (var f in data.Range(asset, from, to, out _)) total += value(f);
        return total;
    }

    /// <summary>Closed downtime from the rollups plus open intervals clipped to [from, min(to, as-of)), inside operating time (seconds).</summary>
    public long Downtime(DateOnly from, DateOnly to, IEnumerable<string> assets)
    {
        var (start, end) = Bounds(from, to);
        var set = assets.ToHashSet(StringComparer.Ordinal);
        var open = data.OpenDowntime.Where(d => set.Contains(d.AssetId))
            .Sum(d => calendar.OperatingSeconds(d.Start > start ? d.Start : start, end, clock));
        return Sum(from, to, set, f => f.DownSeconds) + open;
    }

    /// <summary>Operating seconds of the scope's equipment in [from, min(to, as-of)).</summary>
    public long Operating(DateOnly from, DateOnly to, IEnumerable<string> assets)
    {
        var (start, end) = Bounds(from, to);
        return assets.Count(a => data.Assets[a] is { Level: AssetLevel.Equipment, Active: true }) * calendar.OperatingSeconds(start, end, clock);
    }

    private KpiResult Availability(string? group, DateOnly from, DateOnly to, IReadOnlyCollection<string> assets)
    {
        var operating = Operating(from, to, assets);
        var down = Downtime(from, to, assets);
        return Ratio(KpiKind.Availability, group, (operating - down) / Hour, operating / Hour, "ratio",
            "uptime / (uptime + downtime); uptime = operating time of the scope's equipment − downtime",
            new KpiCoverage(Sum(from, to, assets, f => f.DownIntervals) + OpenIntervals(from, to, assets), 0, OpenNote(from, to, assets)));
    }

    private (double Uptime, long Failures) MtbfParts(DateOnly from, DateOnly to, IReadOnlyCollection<string> assets) =>
        ((Operating(from, to, assets) - Downtime(from, to, assets)) / Hour, Sum(from, to, assets, f => f.Failures));

    private (double Hours, long Repairs) MttrParts(DateOnly from, DateOnly to, IReadOnlyCollection<string> assets) =>
        (Sum(from, to, assets, f => f.RepairSeconds) / Hour, Sum(from, to, assets, f => f.Repairs));

    private KpiResult Mtbf(string? group, DateOnly from, DateOnly to, IReadOnlyCollection<string> assets)
    {
        var (uptime, failures) = MtbfParts(from, to, assets);
        return Ratio(KpiKind.Mtbf, group, uptime, failures, "hours", "fleet view (asset-hours ÷ failures): (Σ operating time of each machine − downtime) / number of failures",
            new KpiCoverage(failures, 0, failures == 0 ? "no failures in the period: MTBF is undefined" : null));
    }

    /// <summary>
    /// The line view: the location's own operating time (once, not once per machine) less the time its machines were
    /// out of service, over the failures that stopped one of them. For machines in series this is how often the line
    /// stopped; the fleet view (<see cref="Mtbf"/>) is how long each machine runs between its own failures.
    /// </summary>
    private KpiResult MtbfLine(string? group, DateOnly from, DateOnly to, IReadOnlyCollection<string> assets)
    {
        var (start, end) = Bounds(from, to);
        var line = assets.Any(a => data.Assets[a] is { Level: AssetLevel.Equipment, Active: true }) ? calendar.OperatingSeconds(start, end, clock) : 0;
        var down = Math.Min(Downtime(from, to, assets), line);
        var stops = Sum(from, to, assets, f => f.StoppingFailures);
        return Ratio(KpiKind.MtbfLine, group, (line - down) / Hour, stops, "hours",
            "line view (line hours ÷ line-stopping failures): (operating time of the location − its machines' out-of-service time) / failures that took a machine out of service",
            new KpiCoverage(stops, Sum(from, to, assets, f => f.Failures) - stops,
                stops == 0 ? "no line-stopping failures in the period: the line view is undefined" : "failures that stopped no machine are left out"));
    }

    private KpiResult Mttr(string? group, DateOnly from, DateOnly to, IReadOnlyCollection<string> assets)
    {
        var (hours, repairs) = MttrParts(from, to, assets);
        var fallback = Sum(from, to, assets, f => f.RepairsFromTaskTimes);
        return Ratio(KpiKind.Mttr, group, hours, repairs, "hours", "Σ (restoration − asset stop) / repairs; task start → end when no downtime was recorded",
            new KpiCoverage(repairs, Sum(from, to, assets, f => f.FailuresWithoutRepairTime),
                fallback > 0 ? $"{fallback} repair(s) measured from task times" : null));
    }

    private KpiResult Inherent(string? group, DateOnly from, DateOnly to, IReadOnlyCollection<string> assets)
    {
        var (uptime, failures) = MtbfParts(from, to, assets);
        var (hours, repairs) = MttrParts(from, to, assets);
        double? mtbf = failures == 0 ? null : uptime / failures, mttr = repairs == 0 ? null : hours / repairs;
        var value = mtbf is null || mttr is null ? (double?)null : mtbf / (mtbf + mttr);
        return new KpiResult(KpiKind.InherentAvailability, group, value, "ratio", "MTBF / (MTBF + MTTR)", mtbf ?? 0, (mtbf ?? 0) + (mttr ?? 0),
            new KpiCoverage(failures + repairs, 0, value is null ? "needs at least one failure and one repair" : null));
    }

    private KpiResult PmCompliance(string? group, DateOnly from, DateOnly to, IReadOnlyCollection<string> assets, GraceRule grace)
    {
        var today = clock.LocalDate(asOf);
        long onTime = 0, decided = 0, pending = 0, noInterval = 0;
        foreach (var asset in assets)
        foreach (var (day, f) in Facts(asset, from, to))
        {
            onTime += grace switch { GraceRule.None => f.PmOnTimeNone, GraceRule.OneDay => f.PmOnTimeOneDay, _ => f.PmOnTime20 };
            decided += f.PmEnded;
            if (grace == GraceRule.Percent20) noInterval += f.PmWithoutInterval;
            foreach (var (grace20, count) in f.PmOpenByGrace20 ?? [])
            {
                var deadline = day.AddDays(grace switch { GraceRule.None => 0, GraceRule.OneDay => 1, _ => grace20 });
                if (today > deadline) decided += count;
                else pending += count;
            }
        }
        var rule = grace switch { GraceRule.None => "no grace", GraceRule.OneDay => "+1 day", _ => "+20% of the plan interval, at most 28 days" };
        return Ratio(KpiKind.PmCompliance, group, onTime, decided, "ratio",
            $"preventive + inspection orders whose work ended by the due date ({rule}) / those due in the period (ended, or open past their grace)",
            new KpiCoverage(decided, noInterval, pending > 0 ? $"{pending} open order(s) still within their grace are not counted yet" : null));
    }

    private KpiResult Backlog(string? group, IEnumerable<string> assets)
    {
        var open = assets.Where(data.Open.ContainsKey).Select(a => data.Open[a]).ToList();
        var hours = open.Sum(o => o.RemainingMinutes) / 60.0;
        return Ratio(KpiKind.BacklogWeeks, group, hours, crewHoursPerWeek, "weeks",
            $"planned hours of the undone tasks of open orders / crew capacity ({crewHoursPerWeek:0.##} h per week)",
            new KpiCoverage(open.Sum(o => o.OpenOrders), open.Sum(o => o.TasksWithoutEstimate), "as of now (the open work is a snapshot)"));
    }

    private KpiResult Overdue(string? group, IReadOnlyCollection<string> assets)
    {
        var set = assets.ToHashSet(StringComparer.Ordinal);
        var ages = data.Overdue.Where(o => set.Contains(o.AssetId) && o.IsOverdue(asOf)).Select(o => (int)Math.Floor((asOf - o.DueAt!.Value).TotalDays)).ToList();
        var buckets = new Dictionary<string, double>
        {
            ["0-7"] = ages.Count(d => d <= 7), ["8-30"] = ages.Count(d => d is >= 8 and <= 30),
            ["31-90"] = ages.Count(d => d is >= 31 and <= 90), ["91+"] = ages.Count(d => d >= 91),
        };
        return new KpiResult(KpiKind.OverdueWorkOrders, group, ages.Count, "orders", "orders in process past their calculated due date, aged in whole days",
            ages.Count, 1, new KpiCoverage(ages.Count, 0, "as of the as-of instant"), buckets);
    }

    private KpiResult Cost(string? group, DateOnly from, DateOnly to, IReadOnlyCollection<string> assets)
    {
        var parts = SumMoney(from, to, assets, f => f.CostParts);
        var labour = SumMoney(from, to, assets, f => f.CostLabour);
        var services = SumMoney(from, to, assets, f => f.CostServices);
        var total = parts + labour + services;
        return new KpiResult(KpiKind.MaintenanceCost, group, (double)total, "currency",
            "Σ parts + labour + services of orders dated in the period (work end, or creation while open; not cancelled)", (double)total, 1,
            new KpiCoverage(Sum(from, to, assets, f => f.CostOrders), 0),
            new Dictionary<string, double> { ["parts"] = (double)parts, ["labour"] = (double)labour, ["services"] = (double)services });
    }

    private KpiResult FirstTimeFix(string? group, DateOnly from, DateOnly to, IReadOnlyCollection<string> assets, int windowDays)
    {
        long fixes = 0, repeated = 0;
        var window = (long)TimeSpan.FromDays(windowDays).TotalSeconds;
        foreach (var asset in assets)
        foreach (var f in data.Range(asset, from, to, out _))
        foreach (var fix in f.Fixes ?? [])
        {
            fixes++;
            // The first failure of this type after the fix: a repeat when it falls inside the window.
            var times = data.Occurrences(asset, fix.Type);
            var next = Array.BinarySearch(times, fix.At + 1);
            next = next >= 0 ? next : ~next;
            if (next < times.Length && times[next] <= fix.At + window) repeated++;
        }
        return Ratio(KpiKind.FirstTimeFixRate, group, fixes - repeated, fixes, "ratio",
            $"repaired failure orders (corrective, emergency) with no order for the same failure type on the same asset within {windowDays} days / repaired failure orders",
            new KpiCoverage(fixes, 0, repeated > 0 ? $"{repeated} repeat(s) within {windowDays} days" : null));
    }

    private long OpenIntervals(DateOnly from, DateOnly to, IReadOnlyCollection<string> assets)
    {
        var (_, end) = Bounds(from, to);
        return data.OpenDowntime.Count(d => assets.Contains(d.AssetId) && d.Start < end);
    }

    private string? OpenNote(DateOnly from, DateOnly to, IReadOnlyCollection<string> assets) =>
        OpenIntervals(from, to, assets) is var n and > 0 ? $"{n} interval(s) still open, counted up to as-of" : null;

    /// <summary>The period's instants, its end capped at as-of (nothing after "now" counts).</summary>
    private (DateTimeOffset Start, DateTimeOffset End) Bounds(DateOnly from, DateOnly to)
    {
        var (start, end) = (clock.StartOfDay(from), clock.StartOfDay(to));
        return (start, end < asOf ? end : asOf);
    }

    private static KpiResult Count(KpiKind kind, string? group, long count, string unit, string formula) =>
        new(kind, group, count, unit, formula, count, 1, new KpiCoverage(count, 0));

    private static KpiResult Ratio(KpiKind kind, string? group, double numerator, double denominator, string unit, string formula, KpiCoverage coverage) =>
        new(kind, group, denominator == 0 ? null : numerator / denominator, unit, formula, numerator, denominator, coverage);
}
