using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using Fractal.Functions.Hosting;
using Fractal.Functions.Hosting.Telemetry;
using Fractal.Functions.Identity;
using Fractal.Functions.OAuth;
using Fractal.Functions.OAuth.Tokens;
using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Mcp;

/// <summary>
/// Authenticates a call to the MCP endpoint (the worker runs no authentication middleware). Tokens come
/// only from the Authorization header, never the query string (MCP authorization spec; RFC 6750 §2.3).
/// <list type="bullet">
/// <item>missing, malformed, expired, wrongly signed, foreign issuer or audience, revoked, disabled user →
/// 401 with <c>WWW-Authenticate: Bearer resource_metadata=…, scope=…</c> (+ <c>error="invalid_token"</c> when a token was sent);</item>
/// <item>no maintenance scope → 403 <c>insufficient_scope</c>; the tenant's MCP access off → 403.</item>
/// </list>
/// </summary>
public sealed class McpAuthenticator(BearerTokenValidator bearer, UserPermissions permissions, TokenStatusCache status, PublicUrls urls)
{
    // A seen token yields the same claims object, and the user's standing object lives as long as its cache
    // entry: while both are the same, the caller (and its principal) from the last call is still exact.
    private readonly ConditionalWeakTable<AccessTokenClaims, Tuple<UserStanding, McpCaller, ClaimsPrincipal>> _callers = new();

    private static readonly string RequiredScopes = $"{Scopes.MaintenanceRead} {Scopes.MaintenanceWrite}";

    /// <summary>The caller and the principal tools receive, or the refusal to send.</summary>
    public async Task<(McpCaller? Caller, IResult? Refusal)> AuthenticateAsync(HttpRequest request, CancellationToken ct)
    {
        var (caller, _, refusal) = await AuthenticatePrincipalAsync(request, ct);
        return (caller, refusal);
    }

    public async Task<(McpCaller? Caller, ClaimsPrincipal? Principal, IResult? Refusal)> AuthenticatePrincipalAsync(HttpRequest request, CancellationToken ct)
    {
        var baseUrl = urls.BaseUrl(request);
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return (null, null, Unauthorized(request, baseUrl, tokenSent: false, "A bearer access token is required."));

        var validation = await bearer.ValidateAsync(header["Bearer ".Length..].Trim(), urls.Issuer(request), OAuthResources.Mcp(baseUrl), ct);
        if (!validation.IsValid) return (null, null, Unauthorized(request, baseUrl, tokenSent: true, "The access token is invalid, expired or not for this server."));
        var claims = validation.Claims!;
        FractalTelemetry.TagCaller(claims.Tenant.Value, claims.ClientId, claims.Subject);
        if (!McpScopes.GrantsAnyMaintenance(claims.Scopes))
            return (null, null, Forbidden(request, baseUrl, "insufficient_scope", "The token grants no maintenance scope."));
        if (!await status.IsMcpEnabledAsync(claims.Tenant, ct))
            return (null, null, Forbidden(request, baseUrl, "access_denied", "MCP access is turned off for this Fractal One account. An administrator can turn it on in Settings › API Connections."));

        var standing = await permissions.GetAsync(claims.Tenant, claims.Subject, ct);
        if (!standing.Enabled) return (null, null, Unauthorized(request, baseUrl, tokenSent: true, "The user's account is disabled."));
        if (_callers.TryGetValue(claims, out var known) && ReferenceEquals(known.Item1, standing)) return (known.Item2, known.Item3, null);
        var caller = new McpCaller(claims.Tenant, claims.Subject, claims.ClientId, McpScopes.Effective(standing.Permissions, claims.Scopes));
        var principal = caller.ToPrincipal();
        _callers.AddOrUpdate(claims, Tuple.Create(standing, caller, principal));
        return (caller, principal, null);
    }

    private static IResult Unauthorized(HttpRequest request, string baseUrl, bool tokenSent, string description)
    {
        var challenge = $"Bearer resource_metadata=\"{ResourceMetadata(baseUrl)}\", scope=\"{RequiredScopes}\"";
        if (tokenSent) challenge += ", error=\"invalid_token\"";
        request.HttpContext.Response.Headers.WWWAuthenticate = challenge;
        return Body(StatusCodes.Status401Unauthorized, tokenSent ? "invalid_token" : "unauthorized", description);
    }

    private static IResult Forbidden(HttpRequest request, string baseUrl, string error, string description)
    {
        request.HttpContext.Response.Headers.WWWAuthenticate =
            $"Bearer error=\"{error}\", scope=\"{RequiredScopes}\", resource_metadata=\"{ResourceMetadata(baseUrl)}\"";
        return Body(StatusCodes.Status403Forbidden, error, description);
    }

    // The description goes in the JSON body only: header values must stay ASCII (Kestrel refuses others).
    private static IResult Body(int status, string error, string description) =>
        Results.Text(JsonSerializer.Serialize(new { error, error_description = description }), "application/json", statusCode: status);

    private static string ResourceMetadata(string baseUrl) => $"{baseUrl}/.well-known/oauth-protected-resource{OAuthResources.McpPath}";
}
