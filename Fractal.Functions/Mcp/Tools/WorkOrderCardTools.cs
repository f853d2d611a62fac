using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Mcp.Apps;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>
/// The work-order card's buttons (an app-only tool: <see cref="ToolViewLinks"/> hides it from the model). It is a
/// write tool to the call filter like update_work_order and cancel_work_order: the same permission for the same
/// change (<see cref="ToolPermissions"/>), the same audit entry and the same idempotency_key handling. Its answer
/// carries the refreshed card in <c>_meta</c>, so the card redraws without another call.
/// </summary>
[McpServerToolType]
public sealed class WorkOrderCardTools
{
    public const string Transition = "transition_work_order";

    [McpServerTool(Name = Transition, Title = "Move a work order (card)", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(WorkOrderWriteTools.WorkOrderChanged))]
    [Description("Use this when the work-order card's buttons move an order (app-only); otherwise use update_work_order or cancel_work_order.")]
    public static async Task<CallToolResult> TransitionWorkOrder(
        IWorkOrderService workOrders, ITenantSettingsService settings, TimeProvider time,
        [Description("Folio")] string folio,
        [Description("in_process, in_review, completed or cancelled")] string to,
        [Description("Why; required to cancel")] string? reason = null,
        [Description("Revision the card shows")] int? expected_revision = null,
        [Description("Retry key")] string? idempotency_key = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var status = Target(to) ?? throw ToolArguments.Invalid("to is required.");
        if (expected_revision is < 1) throw ToolArguments.Invalid("expected_revision must be 1 or more.");
        var edit = new WorkOrderEdit(ToolArguments.Text(folio, "folio", 40), caller.UserId, expected_revision);
        var moved = status == WorkOrderStatus.Cancelled
            ? await workOrders.CancelAsync(caller.Tenant, edit, ToolArguments.Text(reason, "reason", 1000), cancellationToken)
            : await workOrders.TransitionAsync(caller.Tenant, edit, status, string.IsNullOrWhiteSpace(reason) ? null : ToolArguments.Text(reason, "reason", 1000), cancellationToken);
        if (!moved.IsSuccess) return ToolResults.From(moved.Error);

        var order = moved.Value;
        var changed = WorkOrderWriteTools.WorkOrderChanged.From(order);
        var details = await workOrders.GetAsync(caller.Tenant, order.Folio, cancellationToken);
        return details.IsSuccess
            ? ToolResults.Ok(changed, $"{order.Folio} is {order.Status.Code()}.", WorkOrderCard.MetaKey, WorkOrderCard.From(details.Value, caller, await TenantTime.ForAsync(settings, time, caller.Tenant, cancellationToken)))
            : ToolResults.Ok(changed, $"{order.Folio} is {order.Status.Code()}.");
    }

    /// <summary>
    /// The status a call asks for, as the tool reads it and as its permission rule reads it (<see cref="ToolPermissions"/>):
    /// one parser for both, so the permission is always checked on the value the tool acts on.
    /// </summary>
    internal static WorkOrderStatus? Target(string? to) => ToolArguments.Enum<WorkOrderStatus>(to, "to");

    /// <summary><see cref="Target(string?)"/> of a call's raw arguments; absent is null (the call is then refused as missing it).</summary>
    internal static WorkOrderStatus? Target(IDictionary<string, JsonElement>? arguments) =>
        arguments is null || !arguments.TryGetValue("to", out var to) || to.ValueKind is JsonValueKind.Null ? null
        : to.ValueKind == JsonValueKind.String ? Target(to.GetString())
        : throw ToolArguments.Invalid("to must be a string.");
}
