using Fractal.Functions.Audit;
using Fractal.Functions.Hosting;
using Fractal.Functions.Identity.Sessions;
using Fractal.Functions.OAuth.Clients;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.OAuth.Authorize;

/// <summary>
/// <c>/oauth/authorize</c> (RFC 6749 §4.1.1). GET: validate, then sign-in (no session) or the consent page.
/// POST: the consent form's answer: deny → <c>access_denied</c>; allow → a code bound to the request.
/// </summary>
public sealed class AuthorizeFunction(
    AuthorizeRequestValidator validator, SessionService sessions, Csrf csrf, GrantStore grants, AuditLog audit, PublicUrls urls, Tokens.TokenStatusCache status,
    TenantClientPolicy policy, ConsumerLookalikes lookalikes, Consumers.ConsumerStore consumers,
    Hosting.Network.ClientIpResolver clientIp, Hosting.RateLimiting.RequestRateLimits limits)
{
    [Function("Authorize")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "oauth/authorize")] HttpRequest request)
    {
        var context = request.HttpContext;
        if (limits.Refuse(request, Hosting.RateLimiting.RateLimited.AuthorizePerIp, clientIp.Resolve(context).ToString()) is { } limited) return limited;
        var ct = context.RequestAborted;
        var isPost = HttpMethods.IsPost(request.Method);
        // A POST is only ever the consent form (application/x-www-form-urlencoded, RFC 6749 §4.1.1 is a GET):
        // anything else is the sender's mistake, a readable 400 page, never a server error.
        if (isPost && !request.HasFormContentType)
        {
            var texts = Texts.For(request);
            return ErrorPage.Create(StatusCodes.Status400BadRequest, texts, texts["error.authorize.form"]);
        }
        var form = isPost ? await request.ReadFormAsync(ct) : null;
        var parameters = new AuthorizeParameters(form ?? (IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>)request.Query);
        var t = Texts.For(request, form?["lang"]);
        var issuer = urls.Issuer(request);

        var validation = await validator.ValidateAsync(parameters, urls.BaseUrl(request), ct);
        switch (validation)
        {
            case AuthorizeShownError shown:
                return ErrorPage.Create(StatusCodes.Status400BadRequest, t, t[shown.TextKey]);
            case AuthorizeRedirectError error:
                return Redirect(isPost, AuthorizationResponse.Error(error.RedirectUri, error.Error, error.Description, error.State, issuer));
        }
        var valid = (ValidAuthorizeRequest)validation;

        var user = await sessions.GetUserAsync(context, ct);
        if (user is null)
        {
            var returnUrl = "/oauth/authorize" + parameters.ToQueryString();
            return Redirect(isPost, $"/account/sign-in?lang={t.Language}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        }
        if (user.MustChangePassword)
        {
            var back = "/oauth/authorize" + parameters.ToQueryString();
            return Redirect(isPost, $"/account/change-password?lang={t.Language}&returnUrl={Uri.EscapeDataString(back)}");
        }
        if (!await policy.AllowsAsync(user.Tenant, valid.Client, ct))
        {
            // A consumer is an app of one Fractal One account; a person of another account cannot authorize it.
            // A client of no tenant is refused when this tenant's admin blocked it (dynamic clients, or a
            // metadata-document host not on the allowlist).
            var mismatch = valid.Client.Kind == ClientKind.Consumer;
            return ErrorPage.Create(StatusCodes.Status403Forbidden, t, t[mismatch ? "error.tenant" : "error.client.blocked"],
                AuthorizationResponse.Error(valid.RedirectUri, "access_denied",
                    mismatch ? "The signed-in user belongs to another account." : "This Fractal One account does not allow this client.", valid.State, issuer));
        }

        // No link back to the client: it is the impostor the person should not return to.
        if (await lookalikes.ImitatesAConsumerAsync(user.Tenant, valid.Client, ct))
            return ErrorPage.Create(StatusCodes.Status403Forbidden, t, t["error.client.lookalike"]);

        if (valid.ResourcePath == OAuthResources.McpPath && !await status.IsMcpEnabledAsync(user.Tenant, ct))
            return Redirect(isPost, AuthorizationResponse.Error(valid.RedirectUri, "access_denied", "MCP access is turned off for this Fractal One account.", valid.State, issuer));

        if (!isPost) return ConsentPage.Render(t, await csrf.IssueAsync(context, ct), valid, parameters, user);

        if (!await csrf.ValidateAsync(context, form!["csrf"], ct))
            return ErrorPage.Create(StatusCodes.Status403Forbidden, t, t["error.csrf"]);

        var clientId = valid.Client.ClientId;
        if (form["decision"] != "approve")
        {
            await audit.WriteAsync(user.Tenant, new AuditEntry("consent", AuditOutcome.Refused, user.UserId, clientId, "denied by the user"), ct);
            return Redirect(isPost, AuthorizationResponse.Error(valid.RedirectUri, "access_denied", "The user denied the request.", valid.State, issuer));
        }

        var scopes = form["allow_write"] == "yes" ? valid.Scopes : valid.Scopes.Where(s => s != Scopes.MaintenanceWrite).ToList();
        if (valid.Client.OwnerTenant is null) await consumers.LinkGlobalClientAsync(user.Tenant, valid.Client, ct);
        var code = await grants.IssueCodeAsync(new ApprovedRequest(user.Tenant, user.UserId, clientId, valid.RedirectUri, valid.RedirectUriSent,
            valid.CodeChallenge, valid.Resource, scopes), ct);
        await audit.WriteAfterChangeAsync(user.Tenant, new AuditEntry("consent", AuditOutcome.Success, user.UserId, clientId, $"scopes: {Scopes.Format(scopes)}"), ct);
        return Redirect(isPost, AuthorizationResponse.Success(valid.RedirectUri, code, valid.State, issuer));
    }

    /// <summary>After the consent form's POST a 303 makes the browser continue with a GET; a GET answers 302.</summary>
    private static IResult Redirect(bool afterPost, string location) =>
        afterPost ? RedirectTo.SeeOther(location) : RedirectTo.Found(location);
}
