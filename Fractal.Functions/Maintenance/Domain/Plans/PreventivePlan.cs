using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Maintenance.Domain.Plans;

public enum TriggerKind
{
    /// <summary>Every N days after the last time it was done.</summary>
    EveryDays = 1,
    /// <summary>Every N units of the asset's meter (hours run, cycles).</summary>
    EveryMeterUnits = 2,
}

/// <summary>A task template of a plan: what to do, how often, how long it takes, which kind of work order it makes.</summary>
public sealed record PlanTask(int Id, string Description, TriggerKind Trigger, int Interval, int EstimatedMinutes, WorkOrderType WorkOrderType);

/// <summary>A preventive plan: task templates applied to a set of assets.</summary>
public sealed record PreventivePlan(string Id, string Name, IReadOnlyList<string> AssetIds, IReadOnlyList<PlanTask> Tasks, bool Active = true, string? Description = null);

/// <summary>
/// The next occurrence of a plan task on one asset (<c>list_pending_tasks</c>). Overdue is measured from
/// <see cref="CalculatedDueAt"/> (what the plan says), never from <see cref="ScheduledAt"/> (when someone
/// rescheduled it to). A meter-triggered task becomes due when its meter reaches <see cref="NextMeterValue"/>.
/// </summary>
public sealed record PendingTask(
    string Id,
    string PlanId,
    int PlanTaskId,
    string AssetId,
    string AssetName,
    string Description,
    TriggerKind Trigger,
    int Interval,
    int EstimatedMinutes,
    WorkOrderType WorkOrderType,
    DateTimeOffset? CalculatedDueAt,
    DateTimeOffset? ScheduledAt = null,
    DateTimeOffset? LastDoneAt = null,
    string? MeterId = null,
    double? NextMeterValue = null)
{
    public bool IsOverdue(DateTimeOffset now) => CalculatedDueAt is { } due && due < now;

    public static string MakeId(string planId, int planTaskId, string assetId) => $"{planId}-{planTaskId}-{assetId}";
}
