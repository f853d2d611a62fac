using System.Text.Json;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>The permission each tool needs (the tool catalogue of cmms-domain.md). A tool not listed here is never shown.</summary>
public static class ToolPermissions
{
    /// <summary>Tools whose access depends on several read permissions (any one of them; each result is filtered by kind).</summary>
    public const string AnyRead = "*read";

    private static readonly Dictionary<string, string> Map = new(StringComparer.Ordinal)
    {
        ["search"] = AnyRead,
        ["fetch"] = AnyRead,
        ["list_work_orders"] = Permissions.WorkOrdersRead,
        ["get_work_order"] = Permissions.WorkOrdersRead,
        ["list_assets"] = Permissions.AssetsRead,
        ["get_asset"] = Permissions.AssetsRead,
        ["get_location_tree"] = Permissions.AssetsRead,
        ["get_asset_downtime"] = Permissions.AssetsRead,
        ["list_requests"] = Permissions.RequestsRead,
        ["list_meters"] = Permissions.AssetsRead,
        ["list_pending_tasks"] = Permissions.PlansRead,
        ["check_stock"] = Permissions.InventoryRead,
        ["get_kpis"] = Permissions.MetricsRead,
        ["rank_bad_actors"] = Permissions.MetricsRead,
        // Events of work orders, meters and requests: each source shown to whoever may read it (ActivityTools).
        ["get_activity"] = AnyRead,
        ["list_people"] = Permissions.WorkOrdersRead,
        ["create_work_request"] = Permissions.RequestsWrite,
        ["create_work_order"] = Permissions.WorkOrdersWrite,
        ["update_work_order"] = Permissions.WorkOrdersWrite,
        ["complete_task"] = Permissions.WorkOrdersExecute,
        // A note is part of doing the work: technicians leave them (update_work_order, which also moves status, needs write).
        ["add_work_order_note"] = Permissions.WorkOrdersExecute,
        ["add_wo_resource"] = Permissions.WorkOrdersExecute,
        ["record_meter_reading"] = Permissions.AssetsWrite,
        ["update_request_status"] = Permissions.RequestsApprove,
        ["cancel_work_order"] = Permissions.WorkOrdersCancel,
        // The work-order card's buttons (app-only): the permission of update_work_order, or of cancel_work_order
        // when the target is cancelled (see ByArgument).
        [WorkOrderCardTools.Transition] = Permissions.WorkOrdersWrite,
    };

    /// <summary>
    /// Tools whose permission depends on an argument: the same rule as the model-facing tool doing the same thing,
    /// so the card can never do what update_work_order/cancel_work_order would refuse.
    /// </summary>
    private static readonly Dictionary<string, (string[] Any, Func<IDictionary<string, JsonElement>?, string> Rule)> ByArgument = new(StringComparer.Ordinal)
    {
        // The target is read by the tool's own parser (WorkOrderCardTools.Target), so "Cancelled", "CANCELLED" or any
        // other spelling the tool would act on as a cancellation needs workorders.cancel (issue 24).
        [WorkOrderCardTools.Transition] = ([Permissions.WorkOrdersWrite, Permissions.WorkOrdersCancel], arguments =>
            WorkOrderCardTools.Target(arguments) == WorkOrderStatus.Cancelled ? Permissions.WorkOrdersCancel : Permissions.WorkOrdersWrite),
    };

    /// <summary>Tools that change data: audited before they answer, and idempotent through idempotency_key.</summary>
    public static bool IsWrite(string tool) => Map.TryGetValue(tool, out var p) && McpScopes.WritePermissions.Contains(p);

    /// <summary>The single permission a tool needs, or null for any-read tools and unknown tools.</summary>
    public static string? Required(string tool) => Map.TryGetValue(tool, out var p) && p != AnyRead ? p : null;

    /// <summary>The permission this call needs (for most tools the same whatever the arguments).</summary>
    public static string? Required(string tool, IDictionary<string, JsonElement>? arguments) =>
        ByArgument.TryGetValue(tool, out var byArgument) ? byArgument.Rule(arguments) : Required(tool);

    /// <summary>Whether tools/list shows the tool: the caller can make at least one kind of call to it.</summary>
    public static bool Allows(McpCaller caller, string tool) =>
        Map.TryGetValue(tool, out var permission)
        && (permission == AnyRead ? McpScopes.ReadPermissions.Any(caller.Can)
            : ByArgument.TryGetValue(tool, out var byArgument) ? byArgument.Any.Any(caller.Can) : caller.Can(permission));

    public static IReadOnlyCollection<string> Tools => Map.Keys;
}
