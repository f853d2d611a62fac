using Fractal.Functions.Hosting;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Sessions;
using Fractal.Functions.OAuth;
using Fractal.Functions.OAuth.Tokens;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Admin;

/// <summary>
/// The gate of every admin page and admin API call. The Functions worker runs no authentication
/// middleware, so each endpoint asks here explicitly.
/// <list type="bullet">
/// <item>Pages: the sign-in session; none → sign-in; lacking the permission → a 403 page.</item>
/// <item>API: a bearer token for the admin API resource (audience <c>&lt;base&gt;/api/v1</c>) carrying the
/// route's scope, whose user currently holds the route's permission (<see cref="AdminApiRoutes"/>); or the
/// session plus the anti-CSRF header (what the pages' scripts use) and the permission. Anonymous → 401 with the resource's <c>WWW-Authenticate</c>
/// (RFC 6750 §3, RFC 9728 §5.1).</item>
/// </list>
/// </summary>
public sealed class AdminAccess(SessionService sessions, BearerTokenValidator bearer, UserPermissions permissions, Csrf csrf, PublicUrls urls)
{
    /// <param name="permission">The permission the page needs; null for any signed-in person.</param>
    public async Task<(SignedInUser? User, IResult? Refusal)> ForPageAsync(HttpRequest request, string? permission)
    {
        var user = await sessions.GetUserAsync(request.HttpContext, request.HttpContext.RequestAborted);
        var returnUrl = Uri.EscapeDataString(request.Path + request.QueryString);
        if (user is null) return (null, RedirectTo.Found($"/account/sign-in?returnUrl={returnUrl}"));
        if (user.MustChangePassword) return (null, RedirectTo.Found($"/account/change-password?returnUrl={returnUrl}"));
        if (permission is not null && !user.Has(permission))
        {
            var t = Texts.For(request);
            return (null, ErrorPage.Create(StatusCodes.Status403Forbidden, t, t["admin.forbidden"]));
        }
        return (user, null);
    }

    /// <summary>A page's form post: the session gate, then the form's CSRF token.</summary>
    public async Task<(SignedInUser? User, IFormCollection? Form, IResult? Refusal)> ForPagePostAsync(HttpRequest request, string? permission)
    {
        var (user, refusal) = await ForPageAsync(request, permission);
        if (user is null) return (null, null, refusal);
        var form = request.HasFormContentType ? await request.ReadFormAsync(request.HttpContext.RequestAborted) : null;
        if (form is null || !await csrf.ValidateAsync(request.HttpContext, form[Csrf.FormField], request.HttpContext.RequestAborted))
        {
            var t = Texts.For(request, form?["lang"]);
            return (null, null, ErrorPage.Create(StatusCodes.Status403Forbidden, t, t["error.csrf"]));
        }
        return (user, form, null);
    }

    public async Task<(AdminUser? User, IResult? Refusal)> ForApiAsync(HttpRequest request, AdminApiRoute route)
    {
        var ct = request.HttpContext.RequestAborted;
        var baseUrl = urls.BaseUrl(request);
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var validation = await bearer.ValidateAsync(header["Bearer ".Length..].Trim(), urls.Issuer(request), OAuthResources.Api(baseUrl), ct);
            if (!validation.IsValid) return (null, Unauthorized(request, baseUrl, route, tokenSent: true));
            var claims = validation.Claims!;
            // RFC 6750 §3.1: the token is valid but lacks this route's scope; the challenge names the one it needs.
            if (!claims.Scopes.Contains(route.Scope))
                return (null, InsufficientScope(request, baseUrl, route));
            var standing = await permissions.GetAsync(claims.Tenant, claims.Subject, ct);
            if (!standing.Enabled) return (null, Unauthorized(request, baseUrl, route, tokenSent: true));
            if (!standing.Has(route.Permission)) return (null, Forbidden(route.Permission));
            return (new AdminUser(claims.Tenant, claims.Subject, standing.Email, standing.Permissions, ViaBearer: true), null);
        }

        var user = await sessions.GetUserAsync(request.HttpContext, ct);
        if (user is null) return (null, Unauthorized(request, baseUrl, route, tokenSent: false));
        // A cookie rides along with cross-site requests; the header proves the caller read our page's token.
        if (!await csrf.ValidateAsync(request.HttpContext, request.Headers[Csrf.Header], ct))
            return (null, new ProblemResult(StatusCodes.Status403Forbidden, "Missing or invalid anti-CSRF header", $"Session requests must carry {Csrf.Header}."));
        if (!user.Has(route.Permission)) return (null, Forbidden(route.Permission));
        return (new AdminUser(user.Tenant, user.UserId, user.Email, user.Permissions, ViaBearer: false), null);
    }

    private static ProblemResult Forbidden(string permission) =>
        new(StatusCodes.Status403Forbidden, "Forbidden", $"This requires the {permission} permission.");

    private static IResult Unauthorized(HttpRequest request, string baseUrl, AdminApiRoute route, bool tokenSent)
    {
        var challenge = $"Bearer resource_metadata=\"{baseUrl}/.well-known/oauth-protected-resource{OAuthResources.ApiPath}\", scope=\"{route.Scope}\"";
        if (tokenSent) challenge += ", error=\"invalid_token\"";
        request.HttpContext.Response.Headers.WWWAuthenticate = challenge;
        return new ProblemResult(StatusCodes.Status401Unauthorized, "Unauthorized", "A valid bearer token for this API, or a signed-in session, is required.");
    }

    private static IResult InsufficientScope(HttpRequest request, string baseUrl, AdminApiRoute route)
    {
        request.HttpContext.Response.Headers.WWWAuthenticate =
            $"Bearer error=\"insufficient_scope\", scope=\"{route.Scope}\", resource_metadata=\"{baseUrl}/.well-known/oauth-protected-resource{OAuthResources.ApiPath}\"";
        return new ProblemResult(StatusCodes.Status403Forbidden, "Insufficient scope", $"The token lacks the {route.Scope} scope.");
    }
}
