using Fractal.Functions.Web;

namespace Fractal.Functions.Identity.SignIn;

internal static class SignInPage
{
    public static PageResult Form(int status, Texts t, string csrf, string returnUrl, string? email, string? error) =>
        new(status, nonce => PageLayout.Render(t.Language, t["signin.title"], nonce, $"""
            <h1>{Html.E(t["signin.title"])}</h1>
            <p>{Html.E(t["signin.intro"])}</p>
            {(error is null ? "" : $"<p class=\"error\" role=\"alert\" id=\"signin-error\">{Html.E(error)}</p>")}
            <form method="post" action="/account/sign-in">
            {Html.Hidden(Csrf.FormField, csrf)}
            {Html.Hidden("returnUrl", returnUrl)}
            {Html.Hidden("lang", t.Language)}
            <label for="email">{Html.E(t["signin.email"])}</label>
            <input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="{Html.E(email)}" autofocus>
            <label for="password">{Html.E(t["signin.password"])}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
            <div class="actions"><button type="submit">{Html.E(t["signin.submit"])}</button></div>
            </form>
            """));

    public static PageResult SignedIn(Texts t, string csrf, string email) =>
        new(200, nonce => PageLayout.Render(t.Language, t["signin.title"], nonce, $"""
            <h1>{Html.E(t["product"])}</h1>
            <p>{Html.E(t.Format("consent.signedin", email))}</p>
            <form method="post" action="/account/sign-out">
            {Html.Hidden(Csrf.FormField, csrf)}
            {Html.Hidden("lang", t.Language)}
            <div class="actions"><button type="submit" class="secondary">{Html.E(t["signout.submit"])}</button></div>
            </form>
            """));
}
