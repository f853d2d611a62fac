using Fractal.Functions.Maintenance.Domain.Tenancy;
using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Maintenance.Kpis;

/// <summary>
/// What one work order contributes to the per-day facts of its asset, as a pure function of the order and
/// the tenant's clock and calendar. The rollups are the sum of this over every order; a change of an order
/// changes them by (after − before). Cancelled orders contribute their downtime only (the asset really was
/// out of service); everything else counts orders that are not cancelled.
/// </summary>
public static class KpiContributions
{
    public static IReadOnlyList<(DateOnly Day, DayFacts Facts)> Of(WorkOrder wo, TenantClock clock, OperatingCalendar calendar)
    {
        var list = new List<(DateOnly Day, DayFacts Facts)>();
        void At(DateTimeOffset instant, Action<DayFacts> set)
        {
            var facts = new DayFacts();
            set(facts);
            list.Add((clock.LocalDate(instant), facts));
        }

        foreach (var task in wo.Tasks.Where(t => t is { OutOfServiceStart: not null, OutOfServiceEnd: not null }))
        {
            At(task.OutOfServiceStart!.Value, f => f.DownIntervals = 1);
            foreach (var (day, seconds) in SplitByDay(task.OutOfServiceStart.Value, task.OutOfServiceEnd!.Value, clock, calendar))
                list.Add((day, new DayFacts { DownSeconds = seconds }));
        }
        if (wo.Status == WorkOrderStatus.Cancelled) return list;

        foreach (var task in wo.Tasks.Where(t => t.Failure is not null))
        {
            var at = FailureAt(wo, task);
            At(at, f => (f.Failures, f.StoppingFailures) = (1, task.OutOfServiceStart is null ? 0 : 1));
            if (task is { OutOfServiceStart: { } down, OutOfServiceEnd: { } up })
                At(up, f => (f.Repairs, f.RepairSeconds) = (1, Seconds(down, up)));
            else if (task is { Done: true, StartedAt: { } start, EndedAt: { } end })
                At(end, f => (f.Repairs, f.RepairSeconds, f.RepairsFromTaskTimes) = (1, Seconds(start, end), 1));
            else
                At(at, f => f.FailuresWithoutRepairTime = 1);
        }

        if (wo.Type is WorkOrderType.Corrective or WorkOrderType.Emergency && wo.Tasks.FirstOrDefault(t => t.Failure is not null) is { } first)
        {
            var at = FailureAt(wo, first);
            At(at, f => f.Occurrences = [new FailureMark(first.Failure!.Type, at.ToUnixTimeSeconds())]);
            if (wo.EndedAt is { } ended) At(ended, f => f.Fixes = [new FailureMark(first.Failure!.Type, ended.ToUnixTimeSeconds())]);
        }

        if (wo.DueAt is { } due)
        {
            At(due, f => (f.Due, f.DueEnded) = (1, wo.EndedAt is null ? 0 : 1));
            if (wo.Type.IsPlanned())
            {
                var grace20 = Grace20(wo);
                At(due, f =>
                {
                    f.PmDue = 1;
                    f.PmWithoutInterval = wo.PlanIntervalDays is null ? 1 : 0;
                    if (wo.EndedAt is { } ended)
                    {
                        var late = clock.LocalDate(ended).DayNumber - clock.LocalDate(due).DayNumber;
                        (f.PmEnded, f.PmOnTimeNone, f.PmOnTimeOneDay, f.PmOnTime20) = (1, late <= 0 ? 1 : 0, late <= 1 ? 1 : 0, late <= grace20 ? 1 : 0);
                    }
                    else f.PmOpenByGrace20 = new Dictionary<int, long> { [grace20] = 1 };
                });
            }
        }

        foreach (var task in wo.Tasks.Where(t => t is { Done: true, EndedAt: not null }))
        {
            At(task.EndedAt!.Value, f =>
            {
                if (task.RealMinutes is { } minutes)
                    (f.RealMinutes, f.RealMinutesPlanned, f.TasksTimed) = (minutes, wo.Type.IsPlanned() ? minutes : 0, 1);
                else f.TasksUntimed = 1;
            });
        }

        if (wo.Resources.Count > 0)
        {
            At(wo.EndedAt ?? wo.CreatedAt, f =>
                (f.CostParts, f.CostLabour, f.CostServices, f.CostOrders) =
                (wo.Cost(ResourceKind.Part), wo.Cost(ResourceKind.Labour), wo.Cost(ResourceKind.Service), wo.TotalCost > 0 ? 1 : 0));
        }
        return list;
    }

    /// <summary>The open work of an order in process or in review; null otherwise.</summary>
    public static OpenFacts? Open(WorkOrder wo) => wo.Status.IsOpen()
        ? new OpenFacts
        {
            OpenOrders = 1,
            RemainingMinutes = wo.Tasks.Where(t => !t.Done).Sum(t => (long)(t.PlannedMinutes ?? 0)),
            TasksWithoutEstimate = wo.Tasks.Count(t => !t.Done && t.PlannedMinutes is null),
        }
        : null;

    /// <summary>The 20% grace: a fifth of the plan interval in whole days, at most 28; 0 without an interval.</summary>
    public static int Grace20(WorkOrder wo) => Math.Min((int)Math.Floor(0.2 * (wo.PlanIntervalDays ?? 0)), 28);

    /// <summary>When a failure happened: the asset stop, else the task start, else the order's creation.</summary>
    public static DateTimeOffset FailureAt(WorkOrder wo, WorkOrderTask task) => task.OutOfServiceStart ?? task.StartedAt ?? wo.CreatedAt;

    /// <summary>The operating seconds of [start, end) on each local day it touches.</summary>
    public static IEnumerable<(DateOnly Day, long Seconds)> SplitByDay(DateTimeOffset start, DateTimeOffset end, TenantClock clock, OperatingCalendar calendar)
    {
        for (var day = clock.LocalDate(start); start < end; day = day.AddDays(1))
        {
            var next = clock.StartOfDay(day.AddDays(1));
            var pieceEnd = next < end ? next : end;
            var seconds = calendar.OperatingSeconds(start, pieceEnd, clock);
            if (seconds > 0) yield return (day, seconds);
            start = pieceEnd;
        }
    }

    public static long Seconds(DateTimeOffset from, DateTimeOffset to) => to > from ? (long)(to - from).TotalSeconds : 0;
}
