using Fractal.Functions.Audit;
using Fractal.Functions.Hosting.Network;
using Fractal.Functions.Identity.Sessions;
using Fractal.Functions.Identity.SignIn;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Identity.Account;

/// <summary>
/// <c>/account/change-password</c>: a person chooses a new password (first of all when an administrator set a temporary
/// one), then continues to <c>returnUrl</c>. The current password is always asked for, under the sign-in throttle, also
/// in a forced change: a session alone (a cookie left in a browser or stolen) must not be enough to replace the
/// password and lock its owner out, and right after sign-in the person still has the temporary password at hand.
/// The person may disconnect every app at the same time (ticked by default): an app someone connected with a
/// leaked password would otherwise keep refreshing after the change.
/// </summary>
public sealed class ChangePasswordFunction(SessionService sessions, UserStore users, SignInService signIn, UserAuthorizations authorizations,
    Csrf csrf, ClientIpResolver clientIp, AuditLog audit)
{
    private const string RevokeAppsField = "revoke_apps";

    [Function("ChangePassword")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "account/change-password")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var form = HttpMethods.IsPost(request.Method) && request.HasFormContentType ? await request.ReadFormAsync(ct) : null;
        var t = Texts.For(request, form?["lang"]);
        var returnUrl = LocalReturnUrl.Sanitize(form?["returnUrl"] ?? request.Query["returnUrl"]);
        var signedIn = await sessions.GetUserAsync(request.HttpContext, ct);
        if (signedIn is null) return RedirectTo.Found($"/account/sign-in?lang={t.Language}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        if (form is null) return Page(200, t, await csrf.IssueAsync(request.HttpContext, ct), returnUrl, signedIn.MustChangePassword, null);

        if (!await csrf.ValidateAsync(request.HttpContext, form[Csrf.FormField], ct)) return ErrorPage.Create(StatusCodes.Status403Forbidden, t, t["error.csrf"]);
        var user = await users.FindAsync(signedIn.Tenant, signedIn.UserId, ct);
        if (user is null) return ErrorPage.Create(StatusCodes.Status404NotFound, t, t["error.notfound"]);
        var password = form["password"].ToString();
        var problem = Passwords.Check(password, signedIn.Email) ?? (password != form["repeat"].ToString() ? "password.mismatch" : null);
        if (problem is not null) return await RetryAsync(StatusCodes.Status400BadRequest, problem);

        var current = await signIn.VerifyCurrentPasswordAsync(user, form["current"].ToString(), clientIp.Resolve(request.HttpContext), ct);
        if (current.Status == SignInStatus.Throttled) return await RetryAsync(StatusCodes.Status429TooManyRequests, "password.current.throttled");
        if (current.Status != SignInStatus.Succeeded) return await RetryAsync(StatusCodes.Status400BadRequest, "password.current.wrong");

        users.SetPassword(user, password);
        user.MustChangePassword = false;
        user.SessionEpoch++; // every other session (and this one) ends; this browser gets a fresh one below
        if (!(await users.TryUpdateAsync(user, ct)).Succeeded) return await RetryAsync(StatusCodes.Status409Conflict, "password.conflict");
        var revoked = form[RevokeAppsField] == "yes" ? await authorizations.RevokeAllAsync(user.Tenant, user.UserId, "password changed by the user", ct) : 0;
        await sessions.StartAsync(request.HttpContext, user, ct);
        await audit.WriteAsync(user.Tenant, new AuditEntry("password_changed", AuditOutcome.Success, user.UserId, Detail: $"{revoked} app authorizations revoked"), ct);
        return RedirectTo.SeeOther(returnUrl);

        async Task<IResult> RetryAsync(int status, string message) =>
            Page(status, t, await csrf.IssueAsync(request.HttpContext, ct), returnUrl, signedIn.MustChangePassword, message);
    }

    private static PageResult Page(int status, Texts t, string token, string returnUrl, bool forced, string? problem) =>
        new(status, nonce => PageLayout.Render(t.Language, t["password.title"], nonce, $"""
            <h1>{Html.E(t["password.title"])}</h1>
            <p>{Html.E(t[forced ? "password.intro" : "password.intro.own"])}</p>
            {(problem is null ? "" : $"<p class=\"error\" role=\"alert\" id=\"password-error\">{Html.E(t[problem])}</p>")}
            <form method="post" action="/account/change-password">
            {Html.Hidden(Csrf.FormField, token)}{Html.Hidden("lang", t.Language)}{Html.Hidden("returnUrl", returnUrl)}
            <label for="current">{Html.E(t[forced ? "password.current.temporary" : "password.current"])}</label><input id="current" name="current" type="password" autocomplete="current-password" maxlength="1024" required>
            <label for="password">{Html.E(t["password.new"])}</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="12" maxlength="1024" required>
            <label for="repeat">{Html.E(t["password.repeat"])}</label><input id="repeat" name="repeat" type="password" autocomplete="new-password" minlength="12" maxlength="1024" required>
            <label class="check"><input type="checkbox" id="{RevokeAppsField}" name="{RevokeAppsField}" value="yes" checked> {Html.E(t["password.revoke.apps"])}</label>
            <div class="actions"><button type="submit" id="save-password">{Html.E(t["password.save"])}</button></div>
            </form>
            """));
}
