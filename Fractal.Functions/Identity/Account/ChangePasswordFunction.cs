using Fractal.Functions.Audit;
using Fractal.Functions.Identity.Sessions;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Identity.Account;

/// <summary>
/// <c>/account/change-password</c>: a person whose password was set by an administrator (a temporary one)
/// chooses their own before anything else; then continues to <c>returnUrl</c>.
/// </summary>
public sealed class ChangePasswordFunction(SessionService sessions, UserStore users, Csrf csrf, AuditLog audit)
{
    [Function("ChangePassword")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "account/change-password")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var form = HttpMethods.IsPost(request.Method) && request.HasFormContentType ? await request.ReadFormAsync(ct) : null;
        var t = Texts.For(request, form?["lang"]);
        var returnUrl = LocalReturnUrl.Sanitize(form?["returnUrl"] ?? request.Query["returnUrl"]);
        var signedIn = await sessions.GetUserAsync(request.HttpContext, ct);
        if (signedIn is null) return RedirectTo.Found($"/account/sign-in?lang={t.Language}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        if (form is null) return Page(200, t, await csrf.IssueAsync(request.HttpContext, ct), returnUrl, null);

        if (!await csrf.ValidateAsync(request.HttpContext, form[Csrf.FormField], ct)) return ErrorPage.Create(StatusCodes.Status403Forbidden, t, t["error.csrf"]);
        var password = form["password"].ToString();
        var problem = Passwords.Check(password, signedIn.Email) ?? (password != form["repeat"].ToString() ? "password.mismatch" : null);
        if (problem is not null) return Page(StatusCodes.Status400BadRequest, t, await csrf.IssueAsync(request.HttpContext, ct), returnUrl, problem);

        var user = await users.FindAsync(signedIn.Tenant, signedIn.UserId, ct);
        if (user is null) return ErrorPage.Create(StatusCodes.Status404NotFound, t, t["error.notfound"]);
        users.SetPassword(user, password);
        user.MustChangePassword = false;
        user.SessionEpoch++; // every other session (and this one) ends; this browser gets a fresh one below
        await users.TryUpdateAsync(user, ct);
        await sessions.StartAsync(request.HttpContext, user, ct);
        await audit.WriteAsync(user.Tenant, new AuditEntry("password_changed", AuditOutcome.Success, user.UserId), ct);
        return RedirectTo.SeeOther(returnUrl);
    }

    private static PageResult Page(int status, Texts t, string token, string returnUrl, string? problem) =>
        new(status, nonce => PageLayout.Render(t.Language, t["password.title"], nonce, $"""
            <h1>{Html.E(t["password.title"])}</h1>
            <p>{Html.E(t["password.intro"])}</p>
            {(problem is null ? "" : $"<p class=\"error\" role=\"alert\" id=\"password-error\">{Html.E(t[problem])}</p>")}
            <form method="post" action="/account/change-password">
            {Html.Hidden(Csrf.FormField, token)}{Html.Hidden("lang", t.Language)}{Html.Hidden("returnUrl", returnUrl)}
            <label for="password">{Html.E(t["password.new"])}</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="12" maxlength="1024" required>
            <label for="repeat">{Html.E(t["password.repeat"])}</label><input id="repeat" name="repeat" type="password" autocomplete="new-password" minlength="12" maxlength="1024" required>
            <div class="actions"><button type="submit" id="save-password">{Html.E(t["password.save"])}</button></div>
            </form>
            """));
}
