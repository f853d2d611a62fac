namespace Fractal.Functions.Maintenance.Domain;

/// <summary>
/// The catalogue of maintenance errors: every refusal has a stable code and one message here, so logs,
/// tool results, docs and tests all point at the same thing.
/// </summary>
public static class MaintenanceErrors
{
    public static DomainError NotFound(string kind, string id) =>
        new($"maintenance.{kind}.not_found", DomainErrorKind.NotFound, $"No {kind.Replace('_', ' ')} '{id}' exists in this account.");

    public static DomainError AlreadyExists(string kind, string id) =>
        new($"maintenance.{kind}.already_exists", DomainErrorKind.Refused, $"A {kind.Replace('_', ' ')} '{id}' already exists in this account.");

    public static DomainError Invalid(string field, string message) =>
        new("maintenance.invalid", DomainErrorKind.Invalid, $"{field}: {message}");

    /// <summary>A person argument given as a name that several people have (<paramref name="candidates"/>: "Name (id)", …).</summary>
    public static DomainError PersonAmbiguous(string argument, string given, int count, string candidates) =>
        new("maintenance.person.ambiguous", DomainErrorKind.Invalid, $"{argument}: '{given}' matches {count} people: {candidates}. Give the id or the full name.");

    /// <summary>A person argument that is neither an id nor a name of the tenant's people list (<paramref name="people"/>: who there is).</summary>
    public static DomainError PersonUnknown(string argument, string given, string people) =>
        new("maintenance.person.not_found", DomainErrorKind.NotFound, $"{argument}: no person matches '{given}'. People: {people}.");

    public static DomainError InvalidCursor() =>
        new("maintenance.invalid_cursor", DomainErrorKind.Invalid, "The cursor does not belong to this query; start again without a cursor.");

    public static DomainError Conflict(string kind, string id) =>
        new($"maintenance.{kind}.conflict", DomainErrorKind.Conflict,
            $"The {kind.Replace('_', ' ')} '{id}' was changed by someone else since it was read; read it again and retry.");

    public static DomainError TransitionRefused(string folio, string from, string to, string allowed) =>
        new("maintenance.work_order.transition_refused", DomainErrorKind.Refused,
            $"Work order {folio} cannot go from {from} to {to}. Allowed from {from}: {allowed}.");

    public static DomainError WorkOrderCompleted(string folio) =>
        new("maintenance.work_order.completed_is_immutable", DomainErrorKind.Refused,
            $"Work order {folio} is completed: a completed work order can be neither edited nor cancelled.");

    public static DomainError WorkOrderCancelled(string folio) =>
        new("maintenance.work_order.cancelled_is_closed", DomainErrorKind.Refused,
            $"Work order {folio} is cancelled: a cancelled work order cannot change any more.");

    public static DomainError CancelReasonRequired(string folio) =>
        new("maintenance.work_order.cancel_reason_required", DomainErrorKind.Invalid,
            $"Cancelling work order {folio} needs a reason (it is irreversible and shown in its history).");

    public static DomainError TasksPending(string folio, int pending) =>
        new("maintenance.work_order.tasks_pending", DomainErrorKind.Refused,
            $"Work order {folio} has {pending} task(s) not done; complete them before sending it to review.");

    /// <summary>Names the tasks there are, so the caller can pick the right one without another read.</summary>
    public static DomainError TaskNotFound(string folio, int taskId, IReadOnlyCollection<WorkOrders.WorkOrderTask> tasks) =>
        new("maintenance.work_order.task_not_found", DomainErrorKind.NotFound, tasks.Count == 0
            ? $"Work order {folio} has no task {taskId}: it has no tasks."
            : $"Work order {folio} has no task {taskId}. Its tasks: "
              + string.Join("; ", tasks.Select(t => $"{t.Id} \"{Shorten(t.Description)}\" ({(t.Done ? "done" : "pending")})")) + ".");

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    public static DomainError TaskAlreadyDone(string folio, int taskId) =>
        new("maintenance.work_order.task_already_done", DomainErrorKind.Refused, $"Task {taskId} of work order {folio} is already done.");

    public static DomainError TooLarge(string folio, string what, int max) =>
        new("maintenance.work_order.too_large", DomainErrorKind.Refused, $"Work order {folio} already has the maximum of {max} {what}.");

    public static DomainError RequestTransitionRefused(string id, string from, string to, string allowed) =>
        new("maintenance.request.transition_refused", DomainErrorKind.Refused,
            $"Request {id} cannot go from {from} to {to}. Allowed from {from}: {allowed}.");

    public static DomainError RequestWorkOrderRequired(string id) =>
        new("maintenance.request.work_order_required", DomainErrorKind.Invalid,
            $"Request {id}: this status needs the folio of the work order that handles it.");

    public static DomainError Busy(string what) =>
        new("maintenance.busy", DomainErrorKind.Conflict, $"Too many simultaneous changes to {what}; retry in a moment.");
}
