namespace Fractal.Functions.Maintenance.Domain.WorkOrders;

/// <summary>
/// The work-order state machine and edit rules, as pure functions (no storage, no clock):
/// In process ↔ In review → Completed; Cancelled (with a reason) from any state but Completed.
/// Completed and Cancelled are final: nothing about the order may change afterwards. Every successful
/// change yields exactly one history entry (who, when, what).
/// </summary>
public static class WorkOrderRules
{
    public const int MaxTextLength = 4000;

    public static IReadOnlyList<WorkOrderStatus> AllowedFrom(WorkOrderStatus from) => from switch
    {
        WorkOrderStatus.InProcess => [WorkOrderStatus.InReview, WorkOrderStatus.Cancelled],
        WorkOrderStatus.InReview => [WorkOrderStatus.InProcess, WorkOrderStatus.Completed, WorkOrderStatus.Cancelled],
        _ => [],
    };

    /// <summary>A new order, In process, revision 1, with its "created" history entry.</summary>
    public static DomainResult<WorkOrderChange> Create(long number, NewWorkOrder order, string assetName, string assetPath, string userId, DateTimeOffset now)
    {
        if (ValidateNew(order) is { } invalid) return invalid;
        var tasks = order.Tasks.Select((t, i) => new WorkOrderTask(i + 1, t.Description.Trim(), t.PlannedMinutes, OutOfServiceStart: t.OutOfServiceStart)).ToList();
        var wo = new WorkOrder
        {
            Number = number, Title = order.Title.Trim(), Description = order.Description?.Trim(), Type = order.Type,
            Priority = order.Priority, Status = WorkOrderStatus.InProcess, AssetId = order.AssetId, AssetName = assetName,
            AssetPath = assetPath, Responsible = string.IsNullOrWhiteSpace(order.Responsible) ? null : order.Responsible.Trim(),
            RequestId = order.RequestId, PendingTaskId = order.PendingTaskId, PlanIntervalDays = order.PlanIntervalDays,
            CreatedAt = now, CreatedBy = userId, DueAt = order.DueAt, ScheduledAt = order.ScheduledAt, Tasks = tasks,
            Revision = 1, UpdatedAt = now, UpdatedBy = userId,
        };
        return new WorkOrderChange(wo, new HistoryEntry(1, now, userId, "created", null, WorkOrderStatus.InProcess, null));
    }

    public static DomainResult<WorkOrderChange> Transition(WorkOrder wo, WorkOrderStatus to, string userId, DateTimeOffset now, string? reason = null)
    {
        if (to == WorkOrderStatus.Cancelled) return Cancel(wo, reason, userId, now);
        if (EnsureEditable(wo) is { } closed) return closed;
        if (!AllowedFrom(wo.Status).Contains(to))
            return MaintenanceErrors.TransitionRefused(wo.Folio, wo.Status.Code(), to.Code(), string.Join(", ", AllowedFrom(wo.Status).Select(s => s.Code())));

        var next = to switch
        {
            WorkOrderStatus.InReview => ToReview(wo, now),
            WorkOrderStatus.InProcess => wo with { EndedAt = null },
            WorkOrderStatus.Completed => wo with { CompletedAt = now },
            _ => throw new ArgumentOutOfRangeException(nameof(to)),
        };
        if (!next.IsSuccess) return next.Error;
        return Commit(wo, next.Value with { Status = to }, userId, now, "status", string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
    }

    public static DomainResult<WorkOrderChange> Cancel(WorkOrder wo, string? reason, string userId, DateTimeOffset now)
    {
        if (EnsureEditable(wo) is { } closed) return closed;
        if (string.IsNullOrWhiteSpace(reason)) return MaintenanceErrors.CancelReasonRequired(wo.Folio);
        if (reason.Length > MaxTextLength) return MaintenanceErrors.Invalid("reason", $"at most {MaxTextLength} characters.");
        // An asset cannot stay out of service for work that will never be done: close its open downtime now.
        var tasks = wo.Tasks.Select(t => t.OutOfServiceStart is not null && t.OutOfServiceEnd is null ? t with { OutOfServiceEnd = Max(now, t.OutOfServiceStart.Value) } : t).ToList();
        var next = wo with { Status = WorkOrderStatus.Cancelled, CancelledAt = now, CancelReason = reason.Trim(), Tasks = tasks };
        return Commit(wo, next, userId, now, "status", reason.Trim());
    }

    public static DomainResult<WorkOrderChange> AddNote(WorkOrder wo, string text, string userId, DateTimeOffset now)
    {
        if (EnsureEditable(wo) is { } closed) return closed;
        if (string.IsNullOrWhiteSpace(text)) return MaintenanceErrors.Invalid("note", "must not be empty.");
        if (text.Length > MaxTextLength) return MaintenanceErrors.Invalid("note", $"at most {MaxTextLength} characters.");
        var next = wo with { NoteCount = wo.NoteCount + 1 };
        var change = Commit(wo, next, userId, now, "note", $"note {next.NoteCount}");
        return change with { Note = new WorkOrderNote(next.NoteCount, now, userId, text.Trim()) };
    }

    public static DomainResult<WorkOrderChange> AddTask(WorkOrder wo, NewTask task, string userId, DateTimeOffset now)
    {
        if (EnsureEditable(wo) is { } closed) return closed;
        if (wo.Status != WorkOrderStatus.InProcess) return MaintenanceErrors.TransitionRefused(wo.Folio, wo.Status.Code(), "in_process (to add a task)", "return it to in_process first");
        if (wo.Tasks.Count >= WorkOrder.MaxTasks) return MaintenanceErrors.TooLarge(wo.Folio, "tasks", WorkOrder.MaxTasks);
        if (ValidateTask(task) is { } invalid) return invalid;
        if (task.OutOfServiceStart is not null && DowntimeCount(wo) >= WorkOrder.MaxDowntimeIntervals)
            return MaintenanceErrors.TooLarge(wo.Folio, "out-of-service intervals", WorkOrder.MaxDowntimeIntervals);
        var id = wo.Tasks.Count == 0 ? 1 : wo.Tasks.Max(t => t.Id) + 1;
        var next = wo with { Tasks = [.. wo.Tasks, new WorkOrderTask(id, task.Description.Trim(), task.PlannedMinutes, OutOfServiceStart: task.OutOfServiceStart)] };
        return Commit(wo, next, userId, now, "task_added", $"task {id}");
    }

    public static DomainResult<WorkOrderChange> MarkOutOfService(WorkOrder wo, int taskId, DateTimeOffset start, string userId, DateTimeOffset now)
    {
        if (EnsureEditable(wo) is { } closed) return closed;
        var task = wo.Tasks.FirstOrDefault(t => t.Id == taskId);
        if (task is null) return MaintenanceErrors.TaskNotFound(wo.Folio, taskId, wo.Tasks);
        if (task.Done) return MaintenanceErrors.TaskAlreadyDone(wo.Folio, taskId);
        if (start > now) return MaintenanceErrors.Invalid("outOfServiceStart", "cannot be in the future.");
        if (task.OutOfServiceStart is null && DowntimeCount(wo) >= WorkOrder.MaxDowntimeIntervals)
            return MaintenanceErrors.TooLarge(wo.Folio, "out-of-service intervals", WorkOrder.MaxDowntimeIntervals);
        var next = wo with { Tasks = Replace(wo.Tasks, task with { OutOfServiceStart = start, OutOfServiceEnd = null }) };
        return Commit(wo, next, userId, now, "out_of_service", $"task {taskId} from {start:u}");
    }

    public static DomainResult<WorkOrderChange> CompleteTask(WorkOrder wo, TaskCompletion done, string userId, DateTimeOffset now)
    {
        if (EnsureEditable(wo) is { } closed) return closed;
        if (wo.Status != WorkOrderStatus.InProcess) return MaintenanceErrors.TransitionRefused(wo.Folio, wo.Status.Code(), "in_process (to complete a task)", "return it to in_process first");
        var task = wo.Tasks.FirstOrDefault(t => t.Id == done.TaskId);
        if (task is null) return MaintenanceErrors.TaskNotFound(wo.Folio, done.TaskId, wo.Tasks);
        if (task.Done) return MaintenanceErrors.TaskAlreadyDone(wo.Folio, done.TaskId);
        if (done.RealMinutes is < 0) return MaintenanceErrors.Invalid("realMinutes", "must not be negative.");
        var ended = done.EndedAt ?? now;
        var started = done.StartedAt ?? (done.RealMinutes is { } minutes ? ended.AddMinutes(-minutes) : null);
        if (ended < started) return MaintenanceErrors.Invalid("endedAt", "must not be before startedAt.");
        if (ended > now) return MaintenanceErrors.Invalid("endedAt", "cannot be in the future.");
        if (done.Failure is { } f && (string.IsNullOrWhiteSpace(f.Type) || f.Severity is < 1 or > 5))
            return MaintenanceErrors.Invalid("failure", "needs a type and a severity from 1 to 5.");

        DateTimeOffset? outEnd = task.OutOfServiceStart is null ? null : done.OutOfServiceEnd ?? ended;
        if (outEnd is not null && outEnd < task.OutOfServiceStart)
            return MaintenanceErrors.Invalid("outOfServiceEnd", "must not be before the out-of-service start.");
        var real = done.RealMinutes ?? (started is { } from ? (int)Math.Round((ended - from).TotalMinutes) : null);
        var updated = task with
        {
            Done = true, StartedAt = started, EndedAt = ended, RealMinutes = real,
            Failure = done.Failure ?? task.Failure, OutOfServiceEnd = outEnd,
        };
        return Commit(wo, wo with { Tasks = Replace(wo.Tasks, updated) }, userId, now, "task_completed", $"task {task.Id}");
    }

    public static DomainResult<WorkOrderChange> AddResource(WorkOrder wo, NewResource resource, string userId, DateTimeOffset now)
    {
        if (EnsureEditable(wo) is { } closed) return closed;
        if (wo.Resources.Count >= WorkOrder.MaxResources) return MaintenanceErrors.TooLarge(wo.Folio, "resources", WorkOrder.MaxResources);
        if (string.IsNullOrWhiteSpace(resource.Description)) return MaintenanceErrors.Invalid("description", "must not be empty.");
        if (resource.Quantity <= 0) return MaintenanceErrors.Invalid("quantity", "must be positive.");
        if (resource.UnitCost < 0) return MaintenanceErrors.Invalid("unitCost", "must not be negative.");
        var id = wo.Resources.Count == 0 ? 1 : wo.Resources.Max(r => r.Id) + 1;
        var added = new WorkOrderResource(id, resource.Kind, resource.Description.Trim(), resource.PartCode, resource.Quantity, resource.UnitCost);
        return Commit(wo, wo with { Resources = [.. wo.Resources, added] }, userId, now, "resource_added", $"{resource.Kind.ToString().ToLowerInvariant()} {added.Description} x{added.Quantity}");
    }

    public static DomainResult<WorkOrderChange> Reassign(WorkOrder wo, string? responsible, string userId, DateTimeOffset now)
    {
        if (EnsureEditable(wo) is { } closed) return closed;
        return Commit(wo, wo with { Responsible = string.IsNullOrWhiteSpace(responsible) ? null : responsible.Trim() }, userId, now, "reassigned", responsible);
    }

    /// <summary>Moves the scheduled date; the calculated due date (what overdue is measured from) never moves.</summary>
    public static DomainResult<WorkOrderChange> Reschedule(WorkOrder wo, DateTimeOffset? scheduledAt, string userId, DateTimeOffset now)
    {
        if (EnsureEditable(wo) is { } closed) return closed;
        return Commit(wo, wo with { ScheduledAt = scheduledAt }, userId, now, "rescheduled", scheduledAt?.ToString("u"));
    }

    public static DomainError? ValidateNew(NewWorkOrder order)
    {
        if (string.IsNullOrWhiteSpace(order.Title) || order.Title.Length > 200) return MaintenanceErrors.Invalid("title", "1 to 200 characters.");
        if (order.Description is { Length: > MaxTextLength }) return MaintenanceErrors.Invalid("description", $"at most {MaxTextLength} characters.");
        if (!Enum.IsDefined(order.Type)) return MaintenanceErrors.Invalid("type", "preventive, inspection, corrective or emergency.");
        if (order.Priority is < 1 or > 5) return MaintenanceErrors.Invalid("priority", "1 (very high) to 5 (very low).");
        if (order.Tasks.Count > WorkOrder.MaxTasks) return MaintenanceErrors.Invalid("tasks", $"at most {WorkOrder.MaxTasks}.");
        if (order.Tasks.Count(t => t.OutOfServiceStart is not null) > WorkOrder.MaxDowntimeIntervals)
            return MaintenanceErrors.Invalid("tasks", $"at most {WorkOrder.MaxDowntimeIntervals} with the asset out of service.");
        if (order.PlanIntervalDays is <= 0) return MaintenanceErrors.Invalid("planIntervalDays", "must be positive.");
        return order.Tasks.Select(ValidateTask).FirstOrDefault(e => e is not null);
    }

    private static DomainError? ValidateTask(NewTask task)
    {
        if (string.IsNullOrWhiteSpace(task.Description) || task.Description.Length > 1000) return MaintenanceErrors.Invalid("task.description", "1 to 1000 characters.");
        if (task.PlannedMinutes is < 0) return MaintenanceErrors.Invalid("task.plannedMinutes", "must not be negative.");
        return null;
    }

    private static DomainResult<WorkOrder> ToReview(WorkOrder wo, DateTimeOffset now)
    {
        var pending = wo.Tasks.Count(t => !t.Done);
        if (pending > 0) return MaintenanceErrors.TasksPending(wo.Folio, pending);
        var ended = wo.Tasks.Where(t => t.EndedAt is not null).Select(t => t.EndedAt!.Value).DefaultIfEmpty(now).Max();
        return wo with { EndedAt = ended };
    }

    private static DomainError? EnsureEditable(WorkOrder wo) => wo.Status switch
    {
        WorkOrderStatus.Completed => MaintenanceErrors.WorkOrderCompleted(wo.Folio),
        WorkOrderStatus.Cancelled => MaintenanceErrors.WorkOrderCancelled(wo.Folio),
        _ => null,
    };

    /// <summary>
    /// Two steps as one change, saved in one transaction with both history entries: <paramref name="second"/> applied
    /// to the result of <paramref name="first"/>; if either is refused, nothing changes. (A note and a move in one
    /// update_work_order call were two saves; a storage cut between them kept the note without the move.)
    /// </summary>
    public static DomainResult<WorkOrderChange> Both(DomainResult<WorkOrderChange> first, Func<WorkOrder, DomainResult<WorkOrderChange>> second)
    {
        if (!first.IsSuccess) return first.Error;
        var next = second(first.Value.Order);
        if (!next.IsSuccess) return next.Error;
        if (first.Value.Note is not null && next.Value.Note is not null) throw new InvalidOperationException("Only one of the two steps may add a note.");
        return next.Value with { Note = first.Value.Note ?? next.Value.Note, Earlier = [.. first.Value.Earlier, first.Value.Entry, .. next.Value.Earlier] };
    }

    private static WorkOrderChange Commit(WorkOrder before, WorkOrder after, string userId, DateTimeOffset now, string action, string? detail)
    {
        var revision = before.Revision + 1;
        var next = after with { Revision = revision, UpdatedAt = now, UpdatedBy = userId };
        var from = before.Status != after.Status ? before.Status : (WorkOrderStatus?)null;
        var to = before.Status != after.Status ? after.Status : (WorkOrderStatus?)null;
        return new WorkOrderChange(next, new HistoryEntry(revision, now, userId, action, from, to, detail));
    }

    private static IReadOnlyList<WorkOrderTask> Replace(IReadOnlyList<WorkOrderTask> tasks, WorkOrderTask updated) =>
        tasks.Select(t => t.Id == updated.Id ? updated : t).ToList();

    private static int DowntimeCount(WorkOrder wo) => wo.Tasks.Count(t => t.OutOfServiceStart is not null);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
