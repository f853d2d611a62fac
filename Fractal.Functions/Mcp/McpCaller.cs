using System.Runtime.CompilerServices;
using System.Security.Claims;
using Fractal.Functions.Identity;
using ModelContextProtocol.Protocol;

namespace Fractal.Functions.Mcp;

/// <summary>
/// Who is calling a tool, as the MCP endpoint authenticated them: tenant, user, consumer, and the
/// effective permissions = the user's current permissions ∩ what the granted scopes allow. The consumer's
/// permission group never widens them.
/// </summary>
public sealed record McpCaller(TenantId Tenant, string UserId, string ClientId, IReadOnlySet<string> Permissions)
{
    public const string TenantClaim = "fractal:tenant";
    public const string ClientClaim = "fractal:client";
    public const string PermissionClaim = "fractal:permission";
    public const string AuthenticationType = "FractalBearer";

    public bool Can(string permission) => Permissions.Contains(permission);

    // The callers behind the principals built here: the filters and tools of one request (and of later
    // requests of the same token, see McpAuthenticator) read them back without re-parsing claims.
    private static readonly ConditionalWeakTable<ClaimsPrincipal, McpCaller> Built = new();

    public ClaimsPrincipal ToPrincipal()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, UserId),
            new Claim(TenantClaim, Tenant.Value),
            new Claim(ClientClaim, ClientId),
            .. Permissions.Select(p => new Claim(PermissionClaim, p)),
        ], AuthenticationType));
        Built.AddOrUpdate(principal, this);
        return principal;
    }

    /// <summary>The caller behind a principal the endpoint built; null for anything else (never trust other principals).</summary>
    public static McpCaller? From(ClaimsPrincipal? principal)
    {
        if (principal is null) return null;
        if (Built.TryGetValue(principal, out var built)) return built;
        var identity = principal.Identities.FirstOrDefault(i => i.AuthenticationType == AuthenticationType);
        var tenant = identity?.FindFirst(TenantClaim)?.Value;
        var user = identity?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var client = identity?.FindFirst(ClientClaim)?.Value;
        if (identity is null || !TenantId.IsValid(tenant) || user is null || client is null) return null;
        return new McpCaller(new TenantId(tenant), user, client,
            identity.FindAll(PermissionClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>A tool error naming the permission the caller lacks (the model can explain it to the person).</summary>
    public static CallToolResult Refusal(string permission) => ToolResults.Error(
        $"{RefusalPrefix}{permission}' permission, which the signed-in user's role or this connection's consent does not grant.");

    public const string RefusalPrefix = "This needs the '";
}
