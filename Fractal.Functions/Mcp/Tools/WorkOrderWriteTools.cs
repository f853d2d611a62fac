using System.ComponentModel;
using System.Security.Claims;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>
/// Write tools over work orders. None is read-only, so ChatGPT and Claude ask the person to confirm;
/// <c>cancel_work_order</c> is destructive (irreversible). Each takes an optional idempotency_key
/// (handled by <see cref="IdempotentCalls"/> before the tool runs).
/// </summary>
[McpServerToolType]
public sealed class WorkOrderWriteTools
{
    private const string KeyHelp = "Retry key (replays the first result)";
    public const string CreateWorkOrderTool = "create_work_order";

    /// <summary>What a write returns: enough to confirm and to call get_work_order for the rest.</summary>
    public sealed record WorkOrderChanged(string Folio, string Title, WorkOrderStatus Status, int Priority, string AssetId)
    {
        public static WorkOrderChanged From(WorkOrder o) => new(o.Folio, o.Title, o.Status, o.Priority, o.AssetId);
    }

    [McpServerTool(Name = CreateWorkOrderTool, Title = "Create a work order", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(WorkOrderChanged))]
    [Description("Use this when a job must be opened on an asset (optionally from a service request).")]
    public static async Task<CallToolResult> CreateWorkOrder(
        IWorkOrderService workOrders, IPeopleService people, ITenantSettingsService settings, TimeProvider time,
        [Description("Short title (≤ 200 chars)")] string title,
        [Description("corrective, emergency, preventive or inspection")] string type,
        [Description("Asset or location id")] string asset_id,
        [Description("1 (very high) to 5 (very low); default 3")] int priority = 3,
        [Description("What to do or what happened")] string? description = null,
        [Description("Tasks, one per item")] string[]? tasks = null,
        [Description("Responsible person: id or name")] string? responsible = null,
        [Description("Due: yyyy-mm-dd (by the end of that plant day) or date-time")] string? due_at = null,
        [Description("Service request it answers")] string? request_id = null,
        [Description(KeyHelp)] string? idempotency_key = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        if (priority is < 1 or > 5) throw ToolArguments.Invalid("priority must be between 1 and 5.");
        var caller = McpCaller.From(user)!;
        var assignee = await PersonArguments.ResolveAsync(people, caller, responsible, "responsible", assignableOnly: true, cancellationToken);
        if (!assignee.IsSuccess) return ToolResults.From(assignee.Error);
        var local = await TenantTime.ForAsync(settings, time, caller.Tenant, cancellationToken);
        var order = new NewWorkOrder(ToolArguments.Text(title, "title"), ToolArguments.Enum<WorkOrderType>(type, "type") ?? throw ToolArguments.Invalid("type is required."),
            priority, ToolArguments.Text(asset_id, "asset_id", 60),
            (tasks ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Take(50).Select(t => new NewTask(t.Trim(), null)).ToList(),
            description, assignee.Value, local.Due(due_at, "due_at"), RequestId: request_id);
        var result = await workOrders.CreateAsync(caller.Tenant, order, caller.UserId, IdempotentCalls.ScopedKeyOrNull(caller, CreateWorkOrderTool, idempotency_key), cancellationToken);
        return result.IsSuccess
            ? ToolResults.Ok(WorkOrderChanged.From(result.Value), $"Created {result.Value.Folio}: {result.Value.Title} (in process).")
            : ToolResults.From(result.Error);
    }

    [McpServerTool(Name = "update_work_order", Title = "Update a work order", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(WorkOrderChanged))]
    [Description("Use this when you need to add a note to a work order, or move it between in_process and in_review (completed is final).")]
    public static async Task<CallToolResult> UpdateWorkOrder(
        IWorkOrderService workOrders,
        [Description("Folio (OT-1496)")] string folio,
        [Description("Text to add as a note")] string? note = null,
        [Description("in_process, in_review or completed")] string? status = null,
        [Description(KeyHelp)] string? idempotency_key = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var to = ToolArguments.Enum<WorkOrderStatus>(status, "status");
        if (to is WorkOrderStatus.Cancelled) throw ToolArguments.Invalid("Use cancel_work_order to cancel, with a reason.");
        if (to is null && string.IsNullOrWhiteSpace(note)) throw ToolArguments.Invalid("Give a note, a status, or both.");
        var edit = new WorkOrderEdit(ToolArguments.Text(folio, "folio", 40), caller.UserId);
        WorkOrder? order = null;
        if (!string.IsNullOrWhiteSpace(note) && to is { } both)
        {
            // One change, so a refusal or an outage never keeps the note without the move (Reliability/HalfResultTests).
            var changed = await workOrders.AddNoteAndTransitionAsync(caller.Tenant, edit, ToolArguments.Text(note, "note", 4000), both, cancellationToken);
            if (!changed.IsSuccess) return ToolResults.From(changed.Error);
            return ToolResults.Ok(WorkOrderChanged.From(changed.Value), $"{changed.Value.Folio} is {changed.Value.Status}.");
        }
        if (!string.IsNullOrWhiteSpace(note))
        {
            var noted = await workOrders.AddNoteAsync(caller.Tenant, edit, ToolArguments.Text(note, "note", 4000), cancellationToken);
            if (!noted.IsSuccess) return ToolResults.From(noted.Error);
            order = noted.Value;
        }
        if (to is { } status2)
        {
            var moved = await workOrders.TransitionAsync(caller.Tenant, edit, status2, ct: cancellationToken);
            if (!moved.IsSuccess) return ToolResults.From(moved.Error);
            order = moved.Value;
        }
        return ToolResults.Ok(WorkOrderChanged.From(order!), $"{order!.Folio} is {order.Status}.");
    }

    [McpServerTool(Name = "add_work_order_note", Title = "Add a note to a work order", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(WorkOrderChanged))]
    [Description("Use this when someone leaves a note on a work order (findings, handover).")]
    public static async Task<CallToolResult> AddWorkOrderNote(
        IWorkOrderService workOrders,
        [Description("Folio (OT-1496)")] string folio,
        [Description("Up to 4000 characters")] string note,
        [Description(KeyHelp)] string? idempotency_key = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var result = await workOrders.AddNoteAsync(caller.Tenant, new WorkOrderEdit(ToolArguments.Text(folio, "folio", 40), caller.UserId),
            ToolArguments.Text(note, "note", 4000), cancellationToken);
        return result.IsSuccess
            ? ToolResults.Ok(WorkOrderChanged.From(result.Value), $"Note {result.Value.NoteCount} added to {result.Value.Folio}.")
            : ToolResults.From(result.Error);
    }

    [McpServerTool(Name = "complete_task", Title = "Complete a task", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(WorkOrderChanged))]
    [Description("Use this when a technician finished one task of a work order (done now unless times are given; failure codes for a failure).")]
    public static async Task<CallToolResult> CompleteTask(
        IWorkOrderService workOrders, ITenantSettingsService settings, TimeProvider time,
        [Description("Folio (OT-1496)")] string folio,
        [Description("Task id as shown by get_work_order")] int task_id,
        [Description("Start, date-time (plant time); optional")] string? started_at = null,
        [Description("End, same format; default now")] string? ended_at = null,
        [Description("Real minutes worked; default end − start")] int? duration_minutes = null,
        [Description("Failure type, if it repaired one")] string? failure_type = null,
        [Description("Failure cause")] string? failure_cause = null,
        [Description("Failure severity 1-5")] int? failure_severity = null,
        [Description(KeyHelp)] string? idempotency_key = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        if (failure_severity is < 1 or > 5) throw ToolArguments.Invalid("failure_severity must be between 1 and 5.");
        var caller = McpCaller.From(user)!;
        if (duration_minutes is < 0 or > 100_000) throw ToolArguments.Invalid("duration_minutes must be between 0 and 100000.");
        var local = await TenantTime.ForAsync(settings, time, caller.Tenant, cancellationToken);
        var start = local.Instant(started_at, "started_at");
        var end = local.Instant(ended_at, "ended_at");
        if (end < start) throw ToolArguments.Invalid("ended_at must not be before started_at.");
        var failure = failure_type is null ? null : new TaskFailure(failure_type, failure_cause, failure_severity ?? 3);
        var result = await workOrders.CompleteTaskAsync(caller.Tenant, new WorkOrderEdit(ToolArguments.Text(folio, "folio", 40), caller.UserId),
            new TaskCompletion(task_id, start, end, duration_minutes, failure), cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var order = result.Value;
        var pending = order.Tasks.Count(t => !t.Done);
        var task = order.Tasks.Single(t => t.Id == task_id);
        return ToolResults.Ok(WorkOrderChanged.From(order),
            $"Task {task_id} of {order.Folio} is done{(task.RealMinutes is { } m ? $" ({m} min)" : "")}; "
            + (pending == 0 ? "all its tasks are done (update_work_order can send it to in_review)." : $"{pending} of {order.Tasks.Count} task(s) still pending."));
    }

    [McpServerTool(Name = "add_wo_resource", Title = "Add a resource to a work order", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(WorkOrderChanged))]
    [Description("Use this when parts, labour or services were used on a work order and their cost must be recorded.")]
    public static async Task<CallToolResult> AddWorkOrderResource(
        IWorkOrderService workOrders,
        [Description("Folio (OT-1496)")] string folio,
        [Description("part, labour or service")] string kind,
        [Description("What was used")] string description,
        [Description("Quantity (> 0)")] double quantity,
        [Description("Unit cost (>= 0)")] double unit_cost,
        [Description("Part code, for parts")] string? part_code = null,
        [Description(KeyHelp)] string? idempotency_key = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        if (quantity <= 0 || quantity > 1e6) throw ToolArguments.Invalid("quantity must be greater than 0.");
        if (unit_cost < 0 || unit_cost > 1e9) throw ToolArguments.Invalid("unit_cost must be 0 or more.");
        var caller = McpCaller.From(user)!;
        var resource = new NewResource(ToolArguments.Enum<ResourceKind>(kind, "kind") ?? throw ToolArguments.Invalid("kind is required."),
            ToolArguments.Text(description, "description"), (decimal)quantity, (decimal)unit_cost, part_code);
        var result = await workOrders.AddResourceAsync(caller.Tenant, new WorkOrderEdit(ToolArguments.Text(folio, "folio", 40), caller.UserId), resource, cancellationToken);
        return result.IsSuccess ? ToolResults.Ok(WorkOrderChanged.From(result.Value), $"Added {description} to {result.Value.Folio}.") : ToolResults.From(result.Error);
    }

    [McpServerTool(Name = "cancel_work_order", Title = "Cancel a work order", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(WorkOrderChanged))]
    [Description("Use this when a work order will not be done: irreversible cancellation with a reason.")]
    public static async Task<CallToolResult> CancelWorkOrder(
        IWorkOrderService workOrders,
        [Description("Folio (OT-1496)")] string folio,
        [Description("Why it is cancelled")] string reason,
        [Description(KeyHelp)] string? idempotency_key = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var result = await workOrders.CancelAsync(caller.Tenant, new WorkOrderEdit(ToolArguments.Text(folio, "folio", 40), caller.UserId),
            ToolArguments.Text(reason, "reason", 1000), cancellationToken);
        return result.IsSuccess ? ToolResults.Ok(WorkOrderChanged.From(result.Value), $"{result.Value.Folio} was cancelled.") : ToolResults.From(result.Error);
    }
}
