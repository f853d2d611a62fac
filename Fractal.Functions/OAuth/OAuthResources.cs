namespace Fractal.Functions.OAuth;

/// <summary>
/// The two protected resources (RFC 8707 resource indicators, RFC 9728 metadata). A token's audience is
/// exactly one of them and each refuses the other's tokens.
/// </summary>
public static class OAuthResources
{
    public const string McpPath = "/mcp/oauth/fractal-one";
    public const string ApiPath = "/api/v1";

    public static string Mcp(string baseUrl) => baseUrl + McpPath;
    public static string Api(string baseUrl) => baseUrl + ApiPath;

    /// <summary>The resource path of a resource URL of ours, or null for anything else (compared exactly).</summary>
    public static string? PathOf(string baseUrl, string resource) =>
        resource == Mcp(baseUrl) ? McpPath : resource == Api(baseUrl) ? ApiPath : null;
}

public static class Scopes
{
    public const string MaintenanceRead = "maintenance.read";
    public const string MaintenanceWrite = "maintenance.write";
    public const string OfflineAccess = "offline_access";
    /// <summary>Admin API: consumers, their secrets and app authorizations.</summary>
    public const string ApiConnections = "api_connections";
    /// <summary>Admin API: the tenant's people (create, change, disable, delete, set roles and passwords).</summary>
    public const string UserAdministration = "user_administration";
    /// <summary>Admin API: reading and exporting the Transactions log.</summary>
    public const string AuditRead = "audit_read";

    /// <summary>OpenID Connect scopes some clients add because we also serve openid-configuration; we issue no ID tokens and ignore them.</summary>
    public static readonly IReadOnlySet<string> IgnoredOidcScopes = new HashSet<string>(StringComparer.Ordinal) { "openid", "profile", "email" };

    public static IReadOnlyList<string> All { get; } = [MaintenanceRead, MaintenanceWrite, OfflineAccess, ApiConnections, UserAdministration, AuditRead];

    /// <summary>The scopes a token for this resource may carry (for the admin API, one per kind of power: <c>AdminApiRoutes</c>).</summary>
    public static IReadOnlyList<string> AllowedFor(string resourcePath) =>
        resourcePath == OAuthResources.ApiPath
            ? [ApiConnections, UserAdministration, AuditRead, OfflineAccess]
            : [MaintenanceRead, MaintenanceWrite, OfflineAccess];

    /// <summary>
    /// What a request without <c>scope</c> gets (ChatGPT omits it on reconnect). For the admin API only API
    /// connections: user administration and the audit log are granted only when asked for by name.
    /// </summary>
    public static IReadOnlyList<string> DefaultFor(string resourcePath) =>
        resourcePath == OAuthResources.ApiPath ? [ApiConnections, OfflineAccess] : AllowedFor(resourcePath);

    public static IReadOnlyList<string> Parse(string? scope) =>
        (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Canonical order, space-separated.</summary>
    public static string Format(IEnumerable<string> scopes)
    {
        var set = scopes.ToHashSet(StringComparer.Ordinal);
        return string.Join(' ', All.Where(set.Contains));
    }
}
