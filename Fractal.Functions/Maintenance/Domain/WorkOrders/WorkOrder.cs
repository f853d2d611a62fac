namespace Fractal.Functions.Maintenance.Domain.WorkOrders;

/// <summary>A failure recorded on a task: type and cause codes, severity 1 (minor) .. 5 (critical).</summary>
public sealed record TaskFailure(string Type, string? Cause, int Severity);

/// <summary>
/// One task of a work order. When the asset was taken out of service for it, [OutOfServiceStart,
/// OutOfServiceEnd) is a downtime interval of the asset (open while the end is null).
/// </summary>
public sealed record WorkOrderTask(
    int Id,
    string Description,
    int? PlannedMinutes,
    int? RealMinutes = null,
    bool Done = false,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? EndedAt = null,
    TaskFailure? Failure = null,
    DateTimeOffset? OutOfServiceStart = null,
    DateTimeOffset? OutOfServiceEnd = null);

/// <summary>A part, labour or service charged to a work order.</summary>
public sealed record WorkOrderResource(int Id, ResourceKind Kind, string Description, string? PartCode, decimal Quantity, decimal UnitCost)
{
    public decimal TotalCost => Quantity * UnitCost;
}

/// <summary>
/// A work order's header with its tasks and resources. Its history and notes are append-only and kept
/// apart (<see cref="WorkOrderDetails"/>). Dates are UTC. <see cref="DueAt"/> is the calculated maintenance
/// date (overdue and PM compliance are measured from it, never from the rescheduled <see cref="ScheduledAt"/>);
/// <see cref="EndedAt"/> is when the work ended (the order entered review), <see cref="CompletedAt"/> when a
/// reviewer approved it.
/// </summary>
public sealed record WorkOrder
{
    public const int MaxTasks = 50;
    public const int MaxResources = 100;
    /// <summary>Out-of-service intervals per order (each is two derived rows in the order's write batch).</summary>
    public const int MaxDowntimeIntervals = 5;
    /// <summary>History entries an order may collect (they live in the order's own row, at most 1 MiB).</summary>
    public const int MaxHistory = 2000;

    public required long Number { get; init; }
    public string Folio => FormatFolio(Number);
    public required string Title { get; init; }
    public string? Description { get; init; }
    public required WorkOrderType Type { get; init; }
    public required int Priority { get; init; }
    public required WorkOrderStatus Status { get; init; }
    public required string AssetId { get; init; }
    public required string AssetName { get; init; }
    /// <summary>The asset's materialised path (<c>SITE.AREA.SYSTEM.EQUIP.</c>), for subtree queries.</summary>
    public required string AssetPath { get; init; }
    public string? Responsible { get; init; }
    public string? RequestId { get; init; }
    public string? PendingTaskId { get; init; }
    /// <summary>The preventive plan's interval in days (for the PM compliance grace rule), when it has one.</summary>
    public int? PlanIntervalDays { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? ScheduledAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    public string? CancelReason { get; init; }
    public IReadOnlyList<WorkOrderTask> Tasks { get; init; } = [];
    public IReadOnlyList<WorkOrderResource> Resources { get; init; } = [];
    /// <summary>Incremented by every change; the number of the latest history entry.</summary>
    public int Revision { get; init; }
    public int NoteCount { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required string UpdatedBy { get; init; }

    /// <summary>The first task start (when work began), if any.</summary>
    public DateTimeOffset? StartedAt => Tasks.Where(t => t.StartedAt is not null).Select(t => t.StartedAt).Min();

    public bool HasFailure => Tasks.Any(t => t.Failure is not null);

    public decimal Cost(ResourceKind kind) => Resources.Where(r => r.Kind == kind).Sum(r => r.TotalCost);
    public decimal TotalCost => Resources.Sum(r => r.TotalCost);

    /// <summary>Work not done by its calculated due date: in process past it (an order in review has its work done).</summary>
    public bool IsOverdue(DateTimeOffset now) => Status == WorkOrderStatus.InProcess && DueAt is { } due && due < now;

    public static string FormatFolio(long number) => $"OT-{number}";

    /// <summary>Parses "OT-123" (any case) or "123".</summary>
    public static bool TryParseFolio(string? folio, out long number)
    {
        number = 0;
        if (string.IsNullOrWhiteSpace(folio)) return false;
        var text = folio.Trim();
        if (text.StartsWith("OT-", StringComparison.OrdinalIgnoreCase)) text = text[3..];
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number) && number > 0;
    }
}

/// <summary>One change in a work order's life: who, when, what.</summary>
public sealed record HistoryEntry(int Revision, DateTimeOffset At, string UserId, string Action, WorkOrderStatus? From, WorkOrderStatus? To, string? Detail);

public sealed record WorkOrderNote(int Number, DateTimeOffset At, string UserId, string Text);

/// <summary>A work order with its full history and notes (what <c>get_work_order</c> shows).</summary>
public sealed record WorkOrderDetails(WorkOrder Order, IReadOnlyList<HistoryEntry> History, IReadOnlyList<WorkOrderNote> Notes);
