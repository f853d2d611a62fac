using Fractal.Functions.Identity;
using Fractal.Functions.OAuth;

namespace Fractal.Functions.Mcp;

/// <summary>Which permissions each OAuth scope lets a token use (the user must still hold them).</summary>
public static class McpScopes
{
    public static readonly IReadOnlySet<string> ReadPermissions = new HashSet<string>(StringComparer.Ordinal)
    {
        Permissions.WorkOrdersRead, Permissions.AssetsRead, Permissions.RequestsRead,
        Permissions.PlansRead, Permissions.InventoryRead, Permissions.MetricsRead,
    };

    public static readonly IReadOnlySet<string> WritePermissions = new HashSet<string>(StringComparer.Ordinal)
    {
        Permissions.RequestsWrite, Permissions.WorkOrdersExecute, Permissions.AssetsWrite,
        Permissions.WorkOrdersWrite, Permissions.WorkOrdersCancel, Permissions.RequestsApprove,
    };

    public static bool GrantsAnyMaintenance(IEnumerable<string> scopes) =>
        scopes.Any(s => s is Scopes.MaintenanceRead or Scopes.MaintenanceWrite);

    /// <summary>The user's permissions ∩ what the scopes allow.</summary>
    public static IReadOnlySet<string> Effective(IEnumerable<string> userPermissions, IReadOnlyCollection<string> scopes)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        if (scopes.Contains(Scopes.MaintenanceRead)) allowed.UnionWith(ReadPermissions);
        if (scopes.Contains(Scopes.MaintenanceWrite)) allowed.UnionWith(WritePermissions);
        allowed.IntersectWith(userPermissions);
        return allowed;
    }
}
