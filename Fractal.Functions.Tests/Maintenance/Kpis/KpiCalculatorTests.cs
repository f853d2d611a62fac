using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Tenancy;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Kpis;

namespace Fractal.Functions.Tests.Maintenance.Kpis;

/// <summary>Small hand-computed cases, in the Santiago time zone (DST: 2025-09-07 springs forward, 2026-04-05 falls back).</summary>
public sealed class KpiCalculatorTests
{
    private static readonly TenantSettings Settings = new("Prueba", "America/Santiago", OperatingCalendar.AlwaysOpen, 40);
    private static readonly TenantClock Clock = Settings.Clock();
    private static readonly Dictionary<string, Asset> Assets = new()
    {
        ["S1"] = new Asset("S1", "Planta", AssetKind.Location, AssetLevel.Site, null, "S1.", 1),
        ["EQ1"] = new Asset("EQ1", "Compresor", AssetKind.Equipment, AssetLevel.Equipment, "S1", "S1.EQ1.", 1),
        ["EQ2"] = new Asset("EQ2", "Bomba", AssetKind.Equipment, AssetLevel.Equipment, "S1", "S1.EQ2.", 2),
    };
    private static readonly string[] Plant = ["S1", "EQ1", "EQ2"];
    private static long _number;

    /// <summary>A local wall-clock time in Santiago.</summary>
    private static DateTimeOffset L(int y, int mo, int d, int h = 0, int mi = 0) => Clock.ToUtc(new DateTime(y, mo, d, h, mi, 0));

    private static WorkOrder Wo(WorkOrderType type, string asset, WorkOrderStatus status, IReadOnlyList<WorkOrderTask> tasks, DateTimeOffset created,
        DateTimeOffset? due = null, DateTimeOffset? ended = null, int? interval = null, IReadOnlyList<WorkOrderResource>? resources = null) => new()
    {
        Number = Interlocked.Increment(ref _number), Title = "t", Type = type, Priority = 3, Status = status, AssetId = asset, AssetName = asset,
        AssetPath = Assets[asset].Path, CreatedAt = created, CreatedBy = "u", DueAt = due, EndedAt = ended, PlanIntervalDays = interval,
        Tasks = tasks, Resources = resources ?? [], Revision = 1, UpdatedAt = created, UpdatedBy = "u",
    };

    private static WorkOrderTask Done(DateTimeOffset start, DateTimeOffset end, int? planned = 60, TaskFailure? failure = null, bool down = false, int? real = -1) =>
        new(1, "tarea", planned, real == -1 ? (int)(end - start).TotalMinutes : real, true, start, end, failure, down ? start : null, down ? end : null);

    private static KpiCalculator Calculator(DateTimeOffset asOf, params WorkOrder[] orders)
    {
        var (months, open) = KpiRollups.Build(orders, Settings);
        var overdue = orders.Where(o => o.Status == WorkOrderStatus.InProcess && o.DueAt is not null).Select(WorkOrderSummary.From);
        var openDown = orders.SelectMany(o => o.Tasks.Where(t => t.OutOfServiceStart is not null && t.OutOfServiceEnd is null)
            .Select(t => new DowntimeInterval(o.AssetId, t.OutOfServiceStart!.Value, null, o.Folio, t.Id, t.Failure is not null)));
        var data = KpiData.From(Assets, months.Select(m => (m.Key, m.Value)), open, overdue, openDown);
        return new KpiCalculator(data, Clock, Settings.Calendar, Settings.CrewCapacityHoursPerWeek, asOf);
    }

    private static KpiResult K(KpiCalculator c, KpiKind kind, DateOnly from, DateOnly to, GraceRule grace = GraceRule.None, int window = 30, string[]? assets = null) =>
        c.Compute(kind, from, to, assets ?? Plant, null, grace, window);

    private static readonly DateOnly Jan1 = new(2026, 1, 1), Feb1 = new(2026, 2, 1);
    private static readonly TaskFailure Mechanical = new("Mecánica", "Desgaste", 3);

    [Fact]
    public void Without_failures_MTBF_and_MTTR_are_undefined_and_say_why_and_availability_is_whole()
    {
        var pm = Wo(WorkOrderType.Preventive, "EQ1", WorkOrderStatus.Completed, [Done(L(2026, 1, 10, 9), L(2026, 1, 10, 10))], L(2026, 1, 5), L(2026, 1, 10, 12), L(2026, 1, 10, 10), 30);
        var c = Calculator(L(2026, 3, 1), pm);

        Assert.Null(K(c, KpiKind.Mtbf, Jan1, Feb1).Value);
        Assert.Contains("no failures", K(c, KpiKind.Mtbf, Jan1, Feb1).Coverage.Note);
        Assert.Null(K(c, KpiKind.Mttr, Jan1, Feb1).Value);
        Assert.Null(K(c, KpiKind.InherentAvailability, Jan1, Feb1).Value);
        Assert.Equal(1.0, K(c, KpiKind.Availability, Jan1, Feb1).Value);
        Assert.Equal(2 * 31 * 24, K(c, KpiKind.Availability, Jan1, Feb1).Denominator);
    }

    [Fact]
    public void Mtbf_mttr_and_availability_follow_their_formulas()
    {
        // EQ1 stops twice: 3 h and 5 h; January has 744 h; two equipment → 1488 operating hours.
        var a = Wo(WorkOrderType.Corrective, "EQ1", WorkOrderStatus.Completed, [Done(L(2026, 1, 5, 8), L(2026, 1, 5, 11), failure: Mechanical, down: true)], L(2026, 1, 5, 8), ended: L(2026, 1, 5, 11));
        var b = Wo(WorkOrderType.Emergency, "EQ1", WorkOrderStatus.Completed, [Done(L(2026, 1, 20, 1), L(2026, 1, 20, 6), failure: Mechanical, down: true)], L(2026, 1, 20, 1), ended: L(2026, 1, 20, 6));
        var c = Calculator(L(2026, 3, 1), a, b);

        Assert.Equal((1488 - 8) / 1488.0, K(c, KpiKind.Availability, Jan1, Feb1).Value!.Value, 12);
        Assert.Equal((1488 - 8) / 2.0, K(c, KpiKind.Mtbf, Jan1, Feb1).Value);
        Assert.Equal(4.0, K(c, KpiKind.Mttr, Jan1, Feb1).Value);
        Assert.Equal(740 / 744.0, K(c, KpiKind.InherentAvailability, Jan1, Feb1).Value!.Value, 12);
        Assert.Equal((744 - 8) / 744.0, K(c, KpiKind.Availability, Jan1, Feb1, assets: ["EQ1"]).Value!.Value, 12);
    }

    [Fact]
    public void An_open_downtime_counts_up_to_as_of_and_a_failure_without_repair_time_shows_in_coverage()
    {
        var task = new WorkOrderTask(1, "reparar", 60, Failure: Mechanical, OutOfServiceStart: L(2026, 1, 10, 8));
        var open = Wo(WorkOrderType.Emergency, "EQ1", WorkOrderStatus.InProcess, [task], L(2026, 1, 10, 8), L(2026, 1, 11));
        var c = Calculator(L(2026, 1, 10, 18), open);
        var day = new DateOnly(2026, 1, 10);

        var availability = K(c, KpiKind.Availability, day, day.AddDays(1), assets: ["EQ1"]);
        Assert.Equal(18, availability.Denominator);
        Assert.Equal(8, availability.Numerator);
        Assert.Contains("still open", availability.Coverage.Note);
        Assert.Equal(10, K(c, KpiKind.DowntimeHours, day, day.AddDays(1)).Value);
        var mttr = K(c, KpiKind.Mttr, day, day.AddDays(1));
        Assert.Null(mttr.Value);
        Assert.Equal(1, mttr.Coverage.RecordsMissingField);
    }

    [Fact]
    public void An_interval_crossing_the_period_border_counts_only_the_part_inside_it()
    {
        var order = Wo(WorkOrderType.Corrective, "EQ2", WorkOrderStatus.Completed, [Done(L(2025, 12, 31, 20), L(2026, 1, 1, 4), failure: Mechanical, down: true)], L(2025, 12, 31, 20), ended: L(2026, 1, 1, 4));
        var c = Calculator(L(2026, 3, 1), order);

        Assert.Equal(4, K(c, KpiKind.DowntimeHours, Jan1, Feb1).Value);
        Assert.Equal(4, K(c, KpiKind.DowntimeHours, new DateOnly(2025, 12, 1), Jan1).Value);
        Assert.Equal(0, K(c, KpiKind.Failures, Jan1, Feb1).Value);
        Assert.Equal(1, K(c, KpiKind.Failures, new DateOnly(2025, 12, 1), Jan1).Value);
        Assert.Equal(8, K(c, KpiKind.Mttr, Jan1, Feb1).Value); // a repair counts whole, on the day the asset was restored
    }

    [Fact]
    public void Records_missing_a_needed_field_are_counted_in_coverage()
    {
        var untimed = Wo(WorkOrderType.Corrective, "EQ1", WorkOrderStatus.Completed, [Done(L(2026, 1, 3, 9), L(2026, 1, 3, 10), real: null)], L(2026, 1, 3), ended: L(2026, 1, 3, 10));
        var noInterval = Wo(WorkOrderType.Preventive, "EQ2", WorkOrderStatus.Completed, [Done(L(2026, 1, 8, 9), L(2026, 1, 8, 10))], L(2026, 1, 1), L(2026, 1, 9, 12), L(2026, 1, 8, 10));
        var noEstimate = Wo(WorkOrderType.Corrective, "EQ2", WorkOrderStatus.InProcess, [new WorkOrderTask(1, "sin estimación", null)], L(2026, 1, 20));
        var c = Calculator(L(2026, 3, 1), untimed, noInterval, noEstimate);

        Assert.Equal(new KpiCoverage(1, 1), K(c, KpiKind.PlannedMaintenancePercent, Jan1, Feb1).Coverage);
        Assert.Equal(1, K(c, KpiKind.PmCompliance, Jan1, Feb1, GraceRule.Percent20).Coverage.RecordsMissingField);
        Assert.Equal(1, K(c, KpiKind.BacklogWeeks, Jan1, Feb1).Coverage.RecordsMissingField);
    }

    [Fact]
    public void A_downtime_across_the_spring_forward_night_is_split_by_local_day_in_real_hours()
    {
        // 2025-09-07 00:00 does not exist in Santiago: the day starts at 01:00 (-03) and lasts 23 hours.
        Assert.Equal(new DateTimeOffset(2025, 9, 7, 4, 0, 0, TimeSpan.Zero), Clock.StartOfDay(new DateOnly(2025, 9, 7)));
        var start = new DateTimeOffset(2025, 9, 6, 22, 0, 0, TimeSpan.FromHours(-4));
        var end = new DateTimeOffset(2025, 9, 7, 3, 0, 0, TimeSpan.FromHours(-3));
        Assert.Equal([(new DateOnly(2025, 9, 6), 7200L), (new DateOnly(2025, 9, 7), 7200L)], KpiContributions.SplitByDay(start, end, Clock, OperatingCalendar.AlwaysOpen));

        var order = Wo(WorkOrderType.Corrective, "EQ1", WorkOrderStatus.Completed, [Done(start, end, failure: Mechanical, down: true)], start, ended: end);
        var c = Calculator(L(2025, 10, 1), order);
        var sept7 = new DateOnly(2025, 9, 7);
        var day = K(c, KpiKind.Availability, sept7, sept7.AddDays(1), assets: ["EQ1"]);
        Assert.Equal(23, day.Denominator);
        Assert.Equal(21, day.Numerator);
        Assert.Equal(4, K(c, KpiKind.Mttr, new DateOnly(2025, 9, 1), new DateOnly(2025, 10, 1)).Value);
    }

    [Fact]
    public void The_fall_back_day_has_25_hours_and_months_follow_the_local_calendar()
    {
        var april4 = new DateOnly(2026, 4, 4);
        var lateMarch = new DateTimeOffset(2026, 3, 31, 23, 30, 0, TimeSpan.FromHours(-3)); // 2026-04-01 02:30 UTC
        var order = Wo(WorkOrderType.Corrective, "EQ1", WorkOrderStatus.Completed,
            [Done(lateMarch, lateMarch.AddHours(2), failure: Mechanical, down: true)], lateMarch, ended: lateMarch.AddHours(2));
        var c = Calculator(L(2026, 5, 1), order);

        Assert.Equal(25, K(c, KpiKind.Availability, april4, april4.AddDays(1), assets: ["EQ1"]).Denominator);
        Assert.Equal(1, K(c, KpiKind.Failures, new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 1)).Value);
        Assert.Equal(0, K(c, KpiKind.Failures, new DateOnly(2026, 4, 1), new DateOnly(2026, 5, 1)).Value);
        Assert.Equal(0.5, K(c, KpiKind.DowntimeHours, new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 1)).Value);
    }

    [Fact]
    public void Pm_compliance_applies_each_grace_rule()
    {
        var d = L(2026, 1, 15, 12);
        WorkOrder Pm(DateTimeOffset? ended, int interval) => Wo(WorkOrderType.Preventive, "EQ1", ended is null ? WorkOrderStatus.InProcess : WorkOrderStatus.Completed,
            ended is null ? [new WorkOrderTask(1, "pm", 60)] : [Done(ended.Value.AddHours(-1), ended.Value)], d.AddDays(-7), d, ended, interval);
        var c = Calculator(d.AddDays(3),
            Pm(d.AddHours(-2), 30),   // on the due day: on time under every rule
            Pm(d.AddDays(1), 30),     // a day late: on time with +1 day and 20% (6 days)
            Pm(d.AddDays(7), 30),     // a week late: late under every rule
            Pm(d.AddDays(20), 200),   // 20 days late, interval 200: 20% grace is capped at 28 days → on time
            Pm(null, 30));            // open 3 days after due: missed without grace or +1 day, pending within 20%

        Assert.Equal((1.0, 5.0), (K(c, KpiKind.PmCompliance, Jan1, Feb1).Numerator, K(c, KpiKind.PmCompliance, Jan1, Feb1).Denominator));
        Assert.Equal((2.0, 5.0), (K(c, KpiKind.PmCompliance, Jan1, Feb1, GraceRule.OneDay).Numerator, K(c, KpiKind.PmCompliance, Jan1, Feb1, GraceRule.OneDay).Denominator));
        var twenty = K(c, KpiKind.PmCompliance, Jan1, Feb1, GraceRule.Percent20);
        Assert.Equal((3.0, 4.0), (twenty.Numerator, twenty.Denominator));
        Assert.Contains("1 open order", twenty.Coverage.Note);
        Assert.Equal(0.8, K(c, KpiKind.CompletionRate, Jan1, Feb1).Value);
    }

    [Fact]
    public void First_time_fix_counts_a_repeat_of_the_same_failure_on_the_same_asset_within_the_window()
    {
        WorkOrder Fail(string asset, string type, DateTimeOffset at) =>
            Wo(WorkOrderType.Corrective, asset, WorkOrderStatus.Completed, [Done(at, at.AddHours(5), failure: new TaskFailure(type, null, 3), down: true)], at, ended: at.AddHours(5));
        var t = L(2026, 1, 5, 10);
        var first = Fail("EQ1", "Mecánica", t);
        var repeat = Fail("EQ1", "Mecánica", t.AddDays(10));
        var c = Calculator(L(2026, 4, 1), first, repeat, Fail("EQ1", "Eléctrica", t.AddDays(5)), Fail("EQ2", "Mecánica", t.AddDays(3)),
            Fail("EQ1", "Mecánica", repeat.EndedAt!.Value.AddDays(31)));

        var thirty = K(c, KpiKind.FirstTimeFixRate, Jan1, new DateOnly(2026, 4, 1));
        Assert.Equal((4.0, 5.0), (thirty.Numerator, thirty.Denominator));
        var forty = K(c, KpiKind.FirstTimeFixRate, Jan1, new DateOnly(2026, 4, 1), window: 40);
        Assert.Equal((3.0, 5.0), (forty.Numerator, forty.Denominator));
    }

    [Fact]
    public void Cost_sums_each_kind_by_work_end_and_a_cancelled_order_keeps_only_its_downtime()
    {
        WorkOrderResource R(int id, ResourceKind kind, decimal qty, decimal unit) => new(id, kind, kind.ToString(), null, qty, unit);
        var done = Wo(WorkOrderType.Corrective, "EQ1", WorkOrderStatus.Completed, [Done(L(2026, 1, 31, 20), L(2026, 2, 1, 2))], L(2026, 1, 31, 19), ended: L(2026, 2, 1, 2),
            resources: [R(1, ResourceKind.Part, 2, 14500m), R(2, ResourceKind.Labour, 1.5m, 15000m), R(3, ResourceKind.Service, 1, 300000m)]);
        var cancelled = Wo(WorkOrderType.Corrective, "EQ2", WorkOrderStatus.Cancelled,
            [new WorkOrderTask(1, "x", 60, OutOfServiceStart: L(2026, 2, 3, 8), OutOfServiceEnd: L(2026, 2, 3, 10))], L(2026, 2, 3, 8),
            resources: [R(1, ResourceKind.Part, 1, 99999m)]);
        var c = Calculator(L(2026, 3, 1), done, cancelled);
        var feb = K(c, KpiKind.MaintenanceCost, Feb1, new DateOnly(2026, 3, 1));

        Assert.Equal(29000 + 22500 + 300000, feb.Value);
        Assert.Equal(new Dictionary<string, double> { ["parts"] = 29000, ["labour"] = 22500, ["services"] = 300000 }, feb.Breakdown);
        Assert.Equal(0, K(c, KpiKind.MaintenanceCost, Jan1, Feb1).Value);
        Assert.Equal(2, K(c, KpiKind.DowntimeHours, Feb1, new DateOnly(2026, 3, 1)).Value);
    }

    [Fact]
    public void Backlog_and_overdue_are_snapshots_of_the_open_work()
    {
        var asOf = L(2026, 3, 1, 12);
        var old = Wo(WorkOrderType.Corrective, "EQ1", WorkOrderStatus.InProcess, [Done(L(2026, 1, 2, 9), L(2026, 1, 2, 10), planned: 120), new WorkOrderTask(2, "b", 60)], L(2026, 1, 1), asOf.AddDays(-40));
        var review = Wo(WorkOrderType.Corrective, "EQ2", WorkOrderStatus.InReview, [Done(L(2026, 2, 20, 9), L(2026, 2, 20, 10))], L(2026, 2, 20), asOf.AddDays(-2), L(2026, 2, 20, 10));
        var recent = Wo(WorkOrderType.Preventive, "EQ2", WorkOrderStatus.InProcess, [new WorkOrderTask(1, "c", 900)], L(2026, 2, 20), asOf.AddDays(-3), interval: 30);
        var c = Calculator(asOf, old, review, recent);

        var backlog = K(c, KpiKind.BacklogWeeks, Jan1, Feb1);
        Assert.Equal(16.0, backlog.Numerator);
        Assert.Equal(0.4, backlog.Value);
        Assert.Equal(3, backlog.Coverage.RecordsUsed);
        var overdue = K(c, KpiKind.OverdueWorkOrders, Jan1, Feb1);
        Assert.Equal(2, overdue.Value);
        Assert.Equal(new Dictionary<string, double> { ["0-7"] = 1, ["8-30"] = 0, ["31-90"] = 1, ["91+"] = 0 }, overdue.Breakdown);
    }
}
