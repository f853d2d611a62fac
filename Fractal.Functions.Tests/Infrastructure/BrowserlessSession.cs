using System.Net;
using System.Text.RegularExpressions;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// A person's browser reduced to HTTP: its own cookies, no automatic redirects, and helpers that read
/// forms from the real pages (the CSRF token and hidden fields) and submit them.
/// </summary>
public sealed partial class BrowserlessSession : IDisposable
{
    public HttpClient Http { get; }
    public CookieContainer Cookies { get; } = new();

    public BrowserlessSession(TestApp app, string? forwardedFor = null)
    {
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies }) { BaseAddress = app.BaseAddress };
        if (forwardedFor is not null) Http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password, string returnUrl = "/account/sign-in")
    {
        var page = await Http.GetStringAsync("/account/sign-in?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var fields = HiddenFields(page);
        fields["email"] = email;
        fields["password"] = password;
        return await Http.PostAsync("/account/sign-in", new FormUrlEncodedContent(fields));
    }

    public async Task SignInOrFailAsync(TestUser user)
    {
        using var response = await SignInAsync(user.Email, user.Password);
        if (response.StatusCode != HttpStatusCode.SeeOther)
            throw new InvalidOperationException($"Sign-in of {user.Email} answered {(int)response.StatusCode}.");
    }

    /// <summary>Opens the authorize URL (expecting the consent page) and submits it with the given decision.</summary>
    public async Task<HttpResponseMessage> ConsentAsync(string authorizeUrl, string decision = "approve", bool allowWrite = true, Action<Dictionary<string, string>>? tamper = null)
    {
        using var page = await Http.GetAsync(authorizeUrl);
        var html = await page.Content.ReadAsStringAsync();
        if (page.StatusCode != HttpStatusCode.OK || !html.Contains("name=\"decision\""))
            throw new InvalidOperationException($"Expected the consent page, got {(int)page.StatusCode}: {html[..Math.Min(html.Length, 300)]}");
        var fields = HiddenFields(html);
        fields["decision"] = decision;
        if (allowWrite && html.Contains("name=\"allow_write\"")) fields["allow_write"] = "yes";
        tamper?.Invoke(fields);
        return await Http.PostAsync("/oauth/authorize", new FormUrlEncodedContent(fields));
    }

    /// <summary>The hidden fields of the page (of its first form, where several forms repeat a name).</summary>
    public static Dictionary<string, string> HiddenFields(string html) =>
        HiddenInput().Matches(html)
            .GroupBy(m => WebUtility.HtmlDecode(m.Groups["name"].Value))
            .ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups["value"].Value));

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]*)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();

    public void Dispose() => Http.Dispose();
}
