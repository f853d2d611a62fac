using Microsoft.Playwright;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// Posting the app's HTML forms from a browser test. The app answers a form post with a redirect to the page that
/// shows the result, often the same page (same ids), so neither "the element is there" nor a load-state wait says the
/// post happened: the first is true before it, the second races the Playwright .NET client's event thread (a load
/// event that arrives between its check and its subscription is missed, and the wait hangs; CI saw it).
/// </summary>
public static class BrowserForms
{
    /// <summary>
    /// Clicks a button that posts a form and returns once the server has answered the post, so its handler has run
    /// and storage can be checked. The page it leads to may still be loading: read it with Assertions.Expect, which
    /// retries, not with a one-off read.
    /// </summary>
    public static Task<IResponse> SubmitAsync(this ILocator button) =>
        button.Page.RunAndWaitForResponseAsync(() => button.ClickAsync(), response => response.Request.Method == "POST");

    /// <inheritdoc cref="SubmitAsync(ILocator)"/>
    public static Task<IResponse> SubmitAsync(this IPage page, string buttonSelector) => page.Locator(buttonSelector).SubmitAsync();
}
