using Fractal.Functions.Identity;
using Fractal.Functions.OAuth;

namespace Fractal.Functions.Admin;

/// <summary>
/// One <c>/api/v1</c> route (all its methods): the scope a bearer token must carry and the permission its
/// user (or a session's) must currently hold.
/// </summary>
public sealed record AdminApiRoute(string Route, string Scope, string Permission);

/// <summary>
/// The one table of admin API routes → scope + permission. Each scope names one kind of power, so a person
/// who consents to "API connections" has not also handed over user administration or the audit log (issue 24
/// #1: one scope used to reach every route). A function asks <see cref="AdminAccess.ForApiAsync"/> with its
/// entry; <c>AdminApiRouteTests</c> walks the function catalog and fails for an <c>api/v1</c> route that has
/// no entry here, or whose function lets another scope or a session without the permission through.
/// </summary>
public static class AdminApiRoutes
{
    public static readonly AdminApiRoute Consumers = new("api/v1/consumers", Scopes.ApiConnections, Permissions.ApiConnectionsManage);
    public static readonly AdminApiRoute Consumer = new("api/v1/consumers/{id}", Scopes.ApiConnections, Permissions.ApiConnectionsManage);
    public static readonly AdminApiRoute RotateConsumerSecret = new("api/v1/consumers/{id}/rotate-secret", Scopes.ApiConnections, Permissions.ApiConnectionsManage);
    public static readonly AdminApiRoute AppAuthorizations = new("api/v1/app-authorizations", Scopes.ApiConnections, Permissions.ApiConnectionsManage);
    public static readonly AdminApiRoute AppAuthorization = new("api/v1/app-authorizations/{id}", Scopes.ApiConnections, Permissions.ApiConnectionsManage);
    public static readonly AdminApiRoute Users = new("api/v1/users", Scopes.UserAdministration, Permissions.UsersManage);
    public static readonly AdminApiRoute User = new("api/v1/users/{id}", Scopes.UserAdministration, Permissions.UsersManage);
    // The Transactions log page needs the same permission; the scope is read-only and its own.
    public static readonly AdminApiRoute Audit = new("api/v1/audit", Scopes.AuditRead, Permissions.ApiConnectionsManage);

    public static IReadOnlyList<AdminApiRoute> All { get; } =
        [Consumers, Consumer, RotateConsumerSecret, AppAuthorizations, AppAuthorization, Users, User, Audit];

    /// <summary>The entry of a route template (as in <c>[HttpTrigger(Route = …)]</c>), or null.</summary>
    public static AdminApiRoute? For(string route) => All.FirstOrDefault(r => string.Equals(r.Route, route, StringComparison.Ordinal));
}
