using Fractal.Functions.Hosting.Network;
using Fractal.Functions.Identity.Sessions;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Identity.SignIn;

/// <summary>
/// <c>GET /account/sign-in</c> shows the form (or, when signed in, who is signed in);
/// <c>POST</c> checks the credentials under the throttle, starts the session and returns to <c>returnUrl</c>.
/// </summary>
public sealed class SignInFunction(SignInService signIn, SessionService sessions, Csrf csrf, ClientIpResolver clientIp, Hosting.RateLimiting.RequestRateLimits limits,
    SharedAddressMonitor sharedAddresses)
{
    [Function("SignIn")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "account/sign-in")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        if (HttpMethods.IsGet(request.Method))
        {
            var t = Texts.For(request);
            var returnUrl = LocalReturnUrl.Sanitize(request.Query["returnUrl"]);
            var user = await sessions.GetUserAsync(request.HttpContext, ct);
            if (user is not null && returnUrl != LocalReturnUrl.Default) return Results.Redirect(returnUrl);
            var token = await csrf.IssueAsync(request.HttpContext, ct);
            return user is null ? SignInPage.Form(200, t, token, returnUrl, null, null) : SignInPage.SignedIn(t, token, user.Email);
        }

        // Password guessing is slowed per account and per IP by the failure throttle; this caps raw volume per IP.
        var ip = clientIp.Resolve(request.HttpContext);
        if (limits.Refuse(request, Hosting.RateLimiting.RateLimited.SignInPerIp, ip.ToString()) is { } limited) return limited;
        if (!request.HasFormContentType) return ErrorPage.Create(StatusCodes.Status415UnsupportedMediaType, Texts.For(request), Texts.For(request)["error.csrf"]);
        var form = await request.ReadFormAsync(ct);
        var texts = Texts.For(request, form["lang"]);
        if (!await csrf.ValidateAsync(request.HttpContext, form[Csrf.FormField], ct))
            return ErrorPage.Create(StatusCodes.Status403Forbidden, texts, texts["error.csrf"]);

        var email = form["email"].ToString();
        var target = LocalReturnUrl.Sanitize(form["returnUrl"]);
        var result = await signIn.SignInAsync(email, form["password"].ToString(), ip, ct);
        var csrfToken = await csrf.IssueAsync(request.HttpContext, ct);
        switch (result.Status)
        {
            case SignInStatus.Succeeded:
                await sessions.StartAsync(request.HttpContext, result.User!, ct);
                sharedAddresses.SignedIn(ip, $"{result.User!.PartitionKey}/{result.User.UserId}");
                // 303: the browser follows with a GET, never re-posting the password.
                return RedirectTo.SeeOther(result.User!.MustChangePassword
                    ? $"/account/change-password?lang={texts.Language}&returnUrl={Uri.EscapeDataString(target)}"
                    : target);
            case SignInStatus.Throttled:
                request.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(result.RetryAfter!.Value.TotalSeconds)).ToString();
                return SignInPage.Form(StatusCodes.Status429TooManyRequests, texts, csrfToken, target, email,
                    texts.Format("signin.throttled", Describe(texts, result.RetryAfter!.Value)));
            default:
                return SignInPage.Form(StatusCodes.Status401Unauthorized, texts, csrfToken, target, email, texts["signin.invalid"]);
        }
    }

    private static string Describe(Texts t, TimeSpan wait) =>
        wait >= TimeSpan.FromMinutes(2)
            ? t.Format("signin.minutes", (int)Math.Ceiling(wait.TotalMinutes))
            : t.Format("signin.seconds", (int)Math.Ceiling(wait.TotalSeconds));
}
