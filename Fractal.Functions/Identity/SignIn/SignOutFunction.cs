using Fractal.Functions.Identity.Sessions;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Identity.SignIn;

/// <summary><c>POST /account/sign-out</c>: ends the session (CSRF-protected, so no page can sign a person out behind their back).</summary>
public sealed class SignOutFunction(SessionService sessions, Csrf csrf)
{
    [Function("SignOut")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "account/sign-out")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var form = request.HasFormContentType ? await request.ReadFormAsync(ct) : null;
        var t = Texts.For(request, form?["lang"]);
        if (form is null || !await csrf.ValidateAsync(request.HttpContext, form[Csrf.FormField], ct))
            return ErrorPage.Create(StatusCodes.Status403Forbidden, t, t["error.csrf"]);

        await sessions.EndAsync(request.HttpContext, ct);
        return new PageResult(200, nonce => PageLayout.Render(t.Language, t["signout.title"], nonce, $"""
            <h1>{Html.E(t["signout.title"])}</h1>
            <p>{Html.E(t["signout.done"])}</p>
            <p><a href="/account/sign-in?lang={t.Language}">{Html.E(t["signout.again"])}</a></p>
            """));
    }
}
