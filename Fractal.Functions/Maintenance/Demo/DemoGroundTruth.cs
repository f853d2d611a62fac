using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Maintenance.Demo;

/// <summary>
/// The KPI values the generator planted, computed from its own simulation (<see cref="SimWorkOrder"/>:
/// the failures, stops, due and end dates and costs it decided), with plain loops and no KPI engine code,
/// so that comparing the engine with this file can catch an engine bug. Definitions (plant scope, the 365
/// local days before the dataset's anchor, as of the anchor; docs/kpis.md says the same):
/// <list type="bullet">
/// <item>operating time: every equipment-level asset × the period (the plant runs 24/7);</item>
/// <item>downtime: every out-of-service interval clipped to the period, open ones up to the reference date;</item>
/// <item>availability = (operating − downtime) / operating; MTBF = (operating − downtime) / failures;</item>
/// <item>for the filling line (<see cref="Line"/>) MTBF in both views: fleet = (its machines' operating time − their
/// downtime) / their failures; line = (the period's hours, once − the machines' downtime, at most those hours) /
/// the failures that took a machine out of service;</item>
/// <item>failures: failure-coded tasks of orders not cancelled, counted at the asset stop (the interval start);</item>
/// <item>MTTR = Σ (restoration − stop) / repairs, over failure tasks restored in the period;</item>
/// <item>PM compliance: preventive and inspection orders (not cancelled) due in the period; on time when the
/// work's local end date ≤ local due date + grace (none, 1 day, 20% of the plan interval capped at 28 days);
/// open ones count as missed once the grace has passed and are left out before;</item>
/// <item>planned % = real minutes of preventive + inspection tasks / all real minutes, tasks ended in the period;</item>
/// <item>backlog = planned minutes of the undone tasks of open orders / (8 × 40 h) per week;</item>
/// <item>overdue: orders in process past their due date, aged in whole days;</item>
/// <item>completion rate = orders due in the period whose work has ended / orders due in the period (not cancelled);</item>
/// <item>cost = resources of orders not cancelled, dated by work end (or creation while open);</item>
/// <item>first-time fix = repaired failure orders (work ended in the period) with no corrective or emergency order
/// of the same failure type on the same asset within 30 days after / all of them.</item>
/// </list>
/// </summary>
internal static class DemoGroundTruth
{
    public const int FirstTimeFixWindowDays = 30;

    /// <summary>The location whose MTBF the ground truth gives in both views: Línea 1 Llenado, 7 machines in series.</summary>
    public const string Line = "L1";

    public static JsonObject Compute(DemoDataset data)
    {
        var clock = DemoPlant.Clock;
        var (from, to) = DemoPlant.PeriodFor(data.Anchor);
        var asOf = to;
        var orders = data.Simulation.Where(o => o.Status != WorkOrderStatus.Cancelled).ToList();
        var equipment = data.Assets.Where(a => a.Level == AssetLevel.Equipment).Select(a => a.Id).ToList();
        // The local months the period touches (the pinned anchor's are exactly its 12 whole months), each clipped to it.
        var months = Enumerable.Range(0, 13).Select(i => clock.LocalMonth(from).AddMonths(i)).Where(m => clock.StartOfDay(m) < to).ToList();

        long Operating(DateTimeOffset a, DateTimeOffset b) => equipment.Count * Seconds(a, b);
        var downtime = orders.SelectMany(o => o.Tasks.Where(t => t.DownStart is not null).Select(t => (o.AssetId, Start: t.DownStart!.Value, End: t.DownEnd ?? asOf))).ToList();
        long Down(DateTimeOffset a, DateTimeOffset b, string? asset = null) =>
            downtime.Where(d => asset is null || d.AssetId == asset).Sum(d => Seconds(Max(d.Start, a), Min(d.End, Min(b, asOf))));
        var failures = orders.Where(o => o.FailureTask is not null).Select(o => (Order: o, Task: o.FailureTask!, At: o.FailureTask!.DownStart ?? o.FailureTask.Start ?? o.CreatedAt)).ToList();
        int Failures(DateTimeOffset a, DateTimeOffset b, string? asset = null) => failures.Count(f => f.At >= a && f.At < b && (asset is null || f.Order.AssetId == asset));
        decimal Cost(SimWorkOrder o, DateTimeOffset a, DateTimeOffset b) => (o.EndedAt ?? o.CreatedAt) is var d && d >= a && d < b ? o.Resources.Sum(r => r.Total) : 0;

        var operating = Operating(from, to);
        var down = Down(from, to);
        var failureCount = Failures(from, to);
        var repairs = failures.Where(f => f.Task.DownEnd is { } e && e >= from && e < Min(to, asOf)).Select(f => Seconds(f.Task.DownStart!.Value, f.Task.DownEnd!.Value)).ToList();
        var mtbf = (operating - down) / 3600.0 / failureCount;
        var mttr = repairs.Sum() / 3600.0 / repairs.Count;

        var kpis = new JsonObject
        {
            ["failures"] = failureCount,
            ["downtimeHours"] = Ratio(down, 3600, "hours", 4),
            ["operatingHours"] = Ratio(operating, 3600, "hours", 4),
            ["availability"] = Ratio(operating - down, operating, "ratio"),
            ["mtbfHours"] = Ratio(operating - down, failureCount * 3600L, "hours", 4),
            ["mttrHours"] = Ratio(repairs.Sum(), repairs.Count * 3600L, "hours", 4),
            ["inherentAvailability"] = Math.Round(mtbf / (mtbf + mttr), 6),
            ["pmCompliance"] = new JsonObject
            {
                ["none"] = PmCompliance(orders, from, to, asOf, _ => 0), ["oneDay"] = PmCompliance(orders, from, to, asOf, _ => 1),
                ["percent20"] = PmCompliance(orders, from, to, asOf, o => Math.Min((int)Math.Floor(0.2 * (o.IntervalDays ?? 0)), 28)),
            },
            ["plannedMaintenancePercent"] = PlannedPercent(orders, from, Min(to, asOf)),
            ["backlogWeeks"] = Ratio(orders.Where(o => o.Status == WorkOrderStatus.InProcess || o.Status == WorkOrderStatus.InReview)
                .SelectMany(o => o.Tasks).Where(t => !t.Done).Sum(t => (long)t.PlannedMinutes), (long)(DemoPlant.CrewHoursPerWeek * 60), "weeks", 4),
            ["overdue"] = Overdue(orders, asOf),
            ["completionRate"] = Completion(orders, from, to),
            ["cost"] = CostBreakdown(orders.Where(o => Cost(o, from, to) > 0).ToList()),
            ["firstTimeFixRate"] = FirstTimeFix(orders, from, to),
            ["badActors"] = new JsonObject
            {
                ["byFailures"] = Top(equipment, a => Failures(from, to, a)),
                ["byDowntimeHours"] = Top(equipment, a => Math.Round(Down(from, to, a) / 3600.0, 4)),
                ["byCost"] = Top(equipment, a => (double)orders.Where(o => o.AssetId == a).Sum(o => Cost(o, from, to))),
            },
        };
        kpis["lineMtbf"] = LineMtbf(data, Down, failures.Select(f => (f.Order.AssetId, f.At, Stopped: f.Task.DownStart is not null)).Where(f => f.At >= from && f.At < to).ToList(),
            Seconds(from, Min(to, asOf)));
        var byMonth = new JsonObject();
        foreach (var month in months)
        {
            var (a, b) = (Max(clock.StartOfDay(month), from), Min(clock.StartOfDay(month.AddMonths(1)), to));
            byMonth[month.ToString("yyyy-MM", CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["failures"] = Failures(a, b), ["downtimeHours"] = Ratio(Down(a, b), 3600, "hours", 4),
                ["availability"] = Ratio(Operating(a, b) - Down(a, b), Operating(a, b), "ratio"),
                ["pmComplianceNone"] = PmCompliance(orders, a, b, asOf, _ => 0),
                ["costTotal"] = orders.Sum(o => Cost(o, a, b)),
            };
        }
        kpis["byMonth"] = byMonth;

        return new JsonObject
        {
            ["plant"] = DemoPlant.Name, ["seed"] = DemoPlant.Seed, ["version"] = DemoPlant.Version, ["timeZone"] = DemoPlant.TimeZoneId,
            ["referenceDate"] = asOf.ToString("O", CultureInfo.InvariantCulture),
            ["period"] = new JsonObject { ["from"] = from.ToString("O", CultureInfo.InvariantCulture), ["to"] = to.ToString("O", CultureInfo.InvariantCulture) },
            ["crewHoursPerWeek"] = DemoPlant.CrewHoursPerWeek, ["firstTimeFixWindowDays"] = FirstTimeFixWindowDays,
            ["counts"] = Counts(data, asOf),
            ["kpis"] = kpis,
        };
    }

    public static string ToJson(JsonObject truth) => truth.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    private static JsonObject LineMtbf(DemoDataset data, Func<DateTimeOffset, DateTimeOffset, string?, long> down,
        List<(string AssetId, DateTimeOffset At, bool Stopped)> failures, long periodSeconds)
    {
        var (from, to) = DemoPlant.Period;
        var machines = data.Assets.Where(a => a.Level == AssetLevel.Equipment && a.Path.Split('.').Contains(Line)).Select(a => a.Id).ToList();
        var lineDown = machines.Sum(m => down(from, to, m));
        var lineFailures = failures.Where(f => machines.Contains(f.AssetId)).ToList();
        return new JsonObject
        {
            ["scope"] = Line, ["machines"] = machines.Count,
            ["fleet"] = Ratio(machines.Count * periodSeconds - lineDown, lineFailures.Count * 3600L, "hours", 4),
            ["line"] = Ratio(periodSeconds - Math.Min(lineDown, periodSeconds), lineFailures.Count(f => f.Stopped) * 3600L, "hours", 4),
        };
    }

    private static JsonObject PmCompliance(List<SimWorkOrder> orders, DateTimeOffset from, DateTimeOffset to, DateTimeOffset asOf, Func<SimWorkOrder, int> graceDays)
    {
        var clock = DemoPlant.Clock;
        var today = clock.LocalDate(asOf);
        long onTime = 0, due = 0, pending = 0;
        foreach (var o in orders.Where(o => o.Type.IsPlanned() && o.DueAt is { } d && d >= from && d < to))
        {
            var deadline = clock.LocalDate(o.DueAt!.Value).AddDays(graceDays(o));
            if (o.EndedAt is { } ended)
            {
                due++;
                if (clock.LocalDate(ended) <= deadline) onTime++;
            }
            else if (today > deadline) due++;
            else pending++;
        }
        var result = Ratio(onTime, due, "ratio");
        result["pending"] = pending;
        return result;
    }

    private static JsonObject PlannedPercent(List<SimWorkOrder> orders, DateTimeOffset from, DateTimeOffset to)
    {
        long planned = 0, total = 0;
        foreach (var o in orders)
        foreach (var t in o.Tasks.Where(t => t.End is { } e && e >= from && e < to))
        {
            total += t.RealMinutes!.Value;
            if (o.Type.IsPlanned()) planned += t.RealMinutes!.Value;
        }
        return Ratio(planned, total, "ratio");
    }

    private static JsonObject Overdue(List<SimWorkOrder> orders, DateTimeOffset asOf)
    {
        var open = orders.Where(o => o.Status == WorkOrderStatus.InProcess && o.DueAt < asOf).ToList();
        int Bucket(int lo, int hi) => open.Count(o => (int)Math.Floor((asOf - o.DueAt!.Value).TotalDays) is var d && d >= lo && d <= hi);
        return new JsonObject
        {
            ["count"] = open.Count,
            ["aging"] = new JsonObject { ["0-7"] = Bucket(0, 7), ["8-30"] = Bucket(8, 30), ["31-90"] = Bucket(31, 90), ["91+"] = Bucket(91, int.MaxValue) },
        };
    }

    private static JsonObject Completion(List<SimWorkOrder> orders, DateTimeOffset from, DateTimeOffset to)
    {
        var due = orders.Where(o => o.DueAt is { } d && d >= from && d < to).ToList();
        return Ratio(due.Count(o => o.EndedAt is not null), due.Count, "ratio");
    }

    private static JsonObject CostBreakdown(List<SimWorkOrder> orders)
    {
        decimal Sum(ResourceKind kind) => orders.SelectMany(o => o.Resources).Where(r => r.Kind == kind).Sum(r => r.Total);
        return new JsonObject
        {
            ["parts"] = Sum(ResourceKind.Part), ["labour"] = Sum(ResourceKind.Labour), ["services"] = Sum(ResourceKind.Service),
            ["total"] = orders.SelectMany(o => o.Resources).Sum(r => r.Total), ["orders"] = orders.Count,
        };
    }

    private static JsonObject FirstTimeFix(List<SimWorkOrder> orders, DateTimeOffset from, DateTimeOffset to)
    {
        bool Corrective(SimWorkOrder o) => o.Type is WorkOrderType.Corrective or WorkOrderType.Emergency && o.FailureTask is not null;
        var repaired = orders.Where(o => Corrective(o) && o.EndedAt is { } e && e >= from && e < to).ToList();
        var fixedFirst = repaired.Count(o => !orders.Any(r => r != o && Corrective(r) && r.AssetId == o.AssetId
            && r.FailureTask!.Failure!.Type == o.FailureTask!.Failure!.Type
            && (r.FailureTask.DownStart ?? r.FailureTask.Start ?? r.CreatedAt) is var at && at > o.EndedAt && at <= o.EndedAt!.Value.AddDays(FirstTimeFixWindowDays)));
        return Ratio(fixedFirst, repaired.Count, "ratio");
    }

    private static JsonArray Top(List<string> assets, Func<string, double> value) =>
        new(assets.Select(a => (Asset: a, Value: value(a))).OrderByDescending(x => x.Value).ThenBy(x => x.Asset, StringComparer.Ordinal).Take(5)
            .Select(x => (JsonNode)new JsonObject { ["assetId"] = x.Asset, ["value"] = x.Value }).ToArray());

    private static JsonObject Counts(DemoDataset data, DateTimeOffset asOf)
    {
        var wos = data.WorkOrders.Select(w => w.Order).ToList();
        return new JsonObject
        {
            ["assets"] = data.Assets.Count, ["equipment"] = data.Assets.Count(a => a.Level == AssetLevel.Equipment),
            ["workOrders"] = wos.Count,
            ["byType"] = new JsonObject(Enum.GetValues<WorkOrderType>().Select(t => KeyValuePair.Create(t.Code(), (JsonNode?)wos.Count(w => w.Type == t)))),
            ["byStatus"] = new JsonObject(Enum.GetValues<WorkOrderStatus>().Select(s => KeyValuePair.Create(s.Code(), (JsonNode?)wos.Count(w => w.Status == s)))),
            ["withFailure"] = wos.Count(w => w.HasFailure),
            ["overdue"] = wos.Count(w => w.IsOverdue(asOf)),
            ["requests"] = data.Requests.Count, ["meters"] = data.Meters.Count, ["readings"] = data.Readings.Count,
            ["plans"] = data.Plans.Count, ["pendingTasks"] = data.PendingTasks.Count,
            ["warehouses"] = data.Warehouses.Count, ["parts"] = data.Parts.Count, ["stockRows"] = data.Stock.Count,
            ["belowMinimum"] = data.Stock.Count(s => s.BelowMinimum),
        };
    }

    private static JsonObject Ratio(long numerator, long denominator, string unit, int digits = 6) => new()
    {
        ["value"] = denominator == 0 ? null : Math.Round((double)numerator / denominator, digits),
        ["numerator"] = numerator, ["denominator"] = denominator, ["unit"] = unit,
    };

    private static long Seconds(DateTimeOffset a, DateTimeOffset b) => b > a ? (long)(b - a).TotalSeconds : 0;
    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
