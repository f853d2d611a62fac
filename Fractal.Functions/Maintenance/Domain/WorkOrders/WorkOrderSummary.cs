namespace Fractal.Functions.Maintenance.Domain.WorkOrders;

/// <summary>What a work-order list shows; kept in every index row so a list needs no point read per item.</summary>
public sealed record WorkOrderSummary(
    string Folio,
    string Title,
    WorkOrderType Type,
    int Priority,
    WorkOrderStatus Status,
    string AssetId,
    string AssetName,
    string AssetPath,
    string? Responsible,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? ScheduledAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset? CompletedAt)
{
    public static WorkOrderSummary From(WorkOrder wo) => new(
        wo.Folio, wo.Title, wo.Type, wo.Priority, wo.Status, wo.AssetId, wo.AssetName, wo.AssetPath, wo.Responsible,
        wo.CreatedAt, wo.DueAt, wo.ScheduledAt, wo.EndedAt, wo.CompletedAt);

    public bool IsOverdue(DateTimeOffset now) => Status == WorkOrderStatus.InProcess && DueAt is { } due && due < now;
}

/// <summary>Which date a work-order date range applies to.</summary>
public enum WorkOrderDateField
{
    Created = 1,
    /// <summary>The calculated maintenance (due) date.</summary>
    Due = 2,
    /// <summary>When the work ended (the order entered review).</summary>
    Ended = 3,
}

/// <summary>
/// Filters of <c>list_work_orders</c>; all optional and combined with AND. <see cref="AssetId"/> selects the
/// asset's whole subtree (a location selects everything under it). Date ranges are [From, To).
/// </summary>
public sealed record WorkOrderQuery
{
    public WorkOrderStatus? Status { get; init; }
    public WorkOrderType? Type { get; init; }
    public int? Priority { get; init; }
    public string? AssetId { get; init; }
    public string? Responsible { get; init; }
    public WorkOrderDateField? DateField { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    /// <summary>Orders in process whose calculated due date has passed.</summary>
    public bool OverdueOnly { get; init; }
}
