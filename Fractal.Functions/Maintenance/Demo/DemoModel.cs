using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Inventory;
using Fractal.Functions.Maintenance.Domain.Meters;
using Fractal.Functions.Maintenance.Domain.Plans;
using Fractal.Functions.Maintenance.Domain.Requests;
using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Maintenance.Demo;

/// <summary>
/// The generator's own record of what happened to one task: planned work, when it was done, the failure
/// it repaired and how long the asset was stopped. The ground truth is computed from these, never from
/// the stored records.
/// </summary>
internal sealed class SimTask
{
    public required string Description { get; init; }
    public required int PlannedMinutes { get; init; }
    public DateTimeOffset? Start { get; set; }
    public DateTimeOffset? End { get; set; }
    public bool Done => End is not null;
    public int? RealMinutes => Start is { } s && End is { } e ? (int)Math.Round((e - s).TotalMinutes) : null;
    public TaskFailure? Failure { get; set; }
    public DateTimeOffset? DownStart { get; set; }
    public DateTimeOffset? DownEnd { get; set; }
}

internal sealed record SimResource(ResourceKind Kind, string Description, string? PartCode, decimal Quantity, decimal UnitCost)
{
    public decimal Total => Quantity * UnitCost;
}

/// <summary>One work order as the generator lived it (what was planned, what happened, when).</summary>
internal sealed class SimWorkOrder
{
    public long Number { get; set; }
    public required WorkOrderType Type { get; init; }
    public required string AssetId { get; init; }
    public required int Priority { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public int? IntervalDays { get; init; }
    public string? PendingTaskId { get; init; }
    public required string Responsible { get; init; }
    public string? RequestId { get; set; }
    /// <summary>Someone noticed the problem and may have filed a request for it (failures, small jobs).</summary>
    public bool Reported { get; set; }
    public List<SimTask> Tasks { get; } = [];
    public List<SimResource> Resources { get; } = [];
    public List<(DateTimeOffset At, string User, string Text)> Notes { get; } = [];
    public WorkOrderStatus Status { get; set; } = WorkOrderStatus.InProcess;
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? CancelReason { get; set; }

    /// <summary>When the work ended: the last task end, once every task is done and the order went to review.</summary>
    public DateTimeOffset? EndedAt => Status is WorkOrderStatus.InReview or WorkOrderStatus.Completed ? Tasks.Max(t => t.End) : null;

    public SimTask? FailureTask => Tasks.FirstOrDefault(t => t.Failure is not null);
}

internal sealed class SimRequest
{
    public long Number { get; set; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    public string? AssetId { get; init; }
    public required string Requester { get; init; }
    public bool Urgent { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public SimWorkOrder? WorkOrder { get; init; }
    /// <summary>Status changes after creation: when, who, to what, why.</summary>
    public List<(DateTimeOffset At, string User, RequestStatus To, string? Detail)> Changes { get; } = [];
}

/// <summary>Everything the generator made: the records to store and the simulation they came from.</summary>
internal sealed record DemoDataset(
    IReadOnlyList<Asset> Assets,
    IReadOnlyList<Meter> Meters,
    IReadOnlyList<MeterReading> Readings,
    IReadOnlyList<PreventivePlan> Plans,
    IReadOnlyList<PendingTask> PendingTasks,
    IReadOnlyList<WorkOrderDetails> WorkOrders,
    IReadOnlyList<ServiceRequest> Requests,
    IReadOnlyList<Warehouse> Warehouses,
    IReadOnlyList<Part> Parts,
    IReadOnlyList<StockLevel> Stock,
    IReadOnlyList<SimWorkOrder> Simulation,
    DateOnly Anchor);
