namespace Fractal.Functions.Identity;

/// <summary>What a role (permission group) may grant. A user's effective rights on an MCP call are these ∩ the grant's scopes.</summary>
public static class Permissions
{
    public const string WorkOrdersRead = "workorders.read";
    public const string AssetsRead = "assets.read";
    public const string RequestsRead = "requests.read";
    public const string PlansRead = "plans.read";
    public const string InventoryRead = "inventory.read";
    public const string MetricsRead = "metrics.read";
    public const string RequestsWrite = "requests.write";
    public const string WorkOrdersExecute = "workorders.execute";
    public const string AssetsWrite = "assets.write";
    public const string WorkOrdersWrite = "workorders.write";
    public const string WorkOrdersCancel = "workorders.cancel";
    public const string RequestsApprove = "requests.approve";
    public const string ApiConnectionsManage = "api_connections.manage";
    public const string UsersManage = "users.manage";

    public static IReadOnlyList<string> All { get; } =
    [
        WorkOrdersRead, AssetsRead, RequestsRead, PlansRead, InventoryRead, MetricsRead,
        RequestsWrite, WorkOrdersExecute, AssetsWrite,
        WorkOrdersWrite, WorkOrdersCancel, RequestsApprove,
        ApiConnectionsManage, UsersManage,
    ];
}

/// <summary>The four roles every tenant starts with (tenants may add more).</summary>
public static class DefaultRoles
{
    public const string Viewer = "viewer";
    public const string Technician = "technician";
    public const string Supervisor = "supervisor";
    public const string Administrator = "administrator";

    private static readonly string[] Reads =
    [
        Permissions.WorkOrdersRead, Permissions.AssetsRead, Permissions.RequestsRead,
        Permissions.PlansRead, Permissions.InventoryRead, Permissions.MetricsRead,
    ];
    private static readonly string[] TechnicianAdds = [Permissions.RequestsWrite, Permissions.WorkOrdersExecute, Permissions.AssetsWrite];
    private static readonly string[] SupervisorAdds = [Permissions.WorkOrdersWrite, Permissions.WorkOrdersCancel, Permissions.RequestsApprove];
    private static readonly string[] AdministratorAdds = [Permissions.ApiConnectionsManage, Permissions.UsersManage];

    public static IReadOnlyList<(string Id, string Name, IReadOnlyList<string> Permissions)> All { get; } =
    [
        (Viewer, "Viewer", Reads),
        (Technician, "Technician", [.. Reads, .. TechnicianAdds]),
        (Supervisor, "Supervisor", [.. Reads, .. TechnicianAdds, .. SupervisorAdds]),
        (Administrator, "Administrator", [.. Reads, .. TechnicianAdds, .. SupervisorAdds, .. AdministratorAdds]),
    ];
}
