using Microsoft.Playwright;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>Signing in through the real sign-in form, as every browser test that needs a session does.</summary>
public static class BrowserSignIn
{
    /// <summary>
    /// Fills and submits the sign-in form the page shows, and returns once the form is gone: the browser has committed
    /// the page it was sent on to. Waiting for the form's own field to leave the page, rather than for a load state,
    /// is what makes the next step safe, and a wrong password fails here with the form's message instead of later.
    /// A load-state wait right after the click once missed the redirect's events and hung for 30 s, and a step that
    /// reads an element both pages have (h1, main) would read the form's if nothing waited.
    /// </summary>
    public static async Task SignInAsync(this IPage page, TestUser user)
    {
        await page.FillAsync("#email", user.Email);
        await page.FillAsync("#password", user.Password);
        await page.ClickAsync("button[type=submit]");
        try
        {
            await page.Locator("#password").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        }
        catch (TimeoutException)
        {
            var error = page.Locator("#signin-error");
            var shown = await error.CountAsync() > 0 ? await error.InnerTextAsync() : "(no error shown)";
            throw new InvalidOperationException($"Signing in as {user.Email} did not leave the sign-in form: {shown}");
        }
    }

    /// <summary>A new page in the context, signed in as the user, on the given path of the app.</summary>
    public static async Task<IPage> SignedInPageAsync(this IBrowserContext context, TestApp app, TestUser user, string path)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
        await page.SignInAsync(user);
        return page;
    }
}
