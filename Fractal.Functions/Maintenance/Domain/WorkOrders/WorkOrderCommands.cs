namespace Fractal.Functions.Maintenance.Domain.WorkOrders;

/// <summary>A task of a new work order; an out-of-service start opens a downtime interval at once.</summary>
public sealed record NewTask(string Description, int? PlannedMinutes, DateTimeOffset? OutOfServiceStart = null);

/// <summary>What <c>create_work_order</c> asks for. The folio, status (In process) and dates are set by the store.</summary>
public sealed record NewWorkOrder(
    string Title,
    WorkOrderType Type,
    int Priority,
    string AssetId,
    IReadOnlyList<NewTask> Tasks,
    string? Description = null,
    string? Responsible = null,
    DateTimeOffset? DueAt = null,
    DateTimeOffset? ScheduledAt = null,
    string? RequestId = null,
    string? PendingTaskId = null,
    int? PlanIntervalDays = null);

/// <summary>
/// Closes a task (<c>complete_task</c>). A task can be marked done now with nothing else: the end defaults to now,
/// the start to the end less the real minutes when those are given (else it stays unknown), and the real minutes to
/// the span between start and end when both are known. The out-of-service end (restoration) defaults to the task end
/// when the asset was out of service.
/// </summary>
public sealed record TaskCompletion(
    int TaskId,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? EndedAt = null,
    int? RealMinutes = null,
    TaskFailure? Failure = null,
    DateTimeOffset? OutOfServiceEnd = null);

public sealed record NewResource(ResourceKind Kind, string Description, decimal Quantity, decimal UnitCost, string? PartCode = null);

/// <summary>The result of applying a rule: the new header, its history entry, and a note when one was added.</summary>
public sealed record WorkOrderChange(WorkOrder Order, HistoryEntry Entry, WorkOrderNote? Note = null)
{
    /// <summary>History entries of earlier steps saved with this one (<see cref="WorkOrderRules.Both"/>), oldest first.</summary>
    public IReadOnlyList<HistoryEntry> Earlier { get; init; } = [];
}
