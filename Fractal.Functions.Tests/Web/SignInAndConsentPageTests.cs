using Fractal.Functions.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace Fractal.Functions.Tests.Web;

/// <summary>The sign-in and consent pages as a person uses them, in headless Chromium.</summary>
public sealed class SignInAndConsentPageTests
{
    [Theory]
    [InlineData("es-CL", "Iniciar sesión", "Permitir", "¿Permitir el acceso?")]
    [InlineData("en-US", "Sign in", "Allow", "Allow access?")]
    public async Task A_person_signs_in_and_allows_access_in_their_language_and_the_client_gets_a_code(
        string locale, string signInTitle, string allowLabel, string consentTitle)
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var requests = new OAuthRequests(app);
        await using var context = await Chromium.NewContextAsync(locale);
        var page = await context.NewPageAsync();
        var callback = page.WaitForRequestAsync(r => r.Url.StartsWith(TestTenant.ChatGptCallback, StringComparison.Ordinal));

        await page.GotoAsync(new Uri(app.BaseAddress, OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, TestTenant.ChatGptCallback))).ToString());
        Assert.Equal(signInTitle, await page.Locator("h1").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath($"sign-in-{locale}") });
        await page.SignInAsync(tenant.Viewer);

        await page.WaitForSelectorAsync("#approve");
        Assert.Equal(consentTitle, await page.Locator("h1").InnerTextAsync());
        Assert.Contains("Test Connector", await page.Locator("#consent-client").InnerTextAsync());
        Assert.Contains("chatgpt.com", await page.Locator("#consent-redirect-host").InnerTextAsync());
        Assert.True(await page.Locator("#allow_write").IsCheckedAsync());
        Assert.Equal("https://client.example/privacy", await page.Locator("#privacy-link").GetAttributeAsync("href"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath($"consent-{locale}") });
        Assert.Equal(allowLabel, await page.Locator("#approve").InnerTextAsync());
        await page.ClickAsync("#approve");

        var query = QueryHelpers.ParseQuery(new Uri((await callback).Url).Query);
        Assert.False(string.IsNullOrEmpty(query["code"]));
        Assert.Equal("xyz-state", query["state"].ToString());
        Assert.Equal(requests.Issuer, query["iss"].ToString());
    }

    [Fact]
    public async Task The_whole_flow_from_the_consent_page_in_chromium_ends_in_a_refreshed_token()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var requests = new OAuthRequests(app);
        await using var context = await Chromium.NewContextAsync("en-US");
        var page = await context.NewPageAsync();
        var callback = page.WaitForRequestAsync(r => r.Url.StartsWith(TestTenant.ChatGptCallback, StringComparison.Ordinal));
        await page.GotoAsync(new Uri(app.BaseAddress, OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, TestTenant.ChatGptCallback))).ToString());
        await page.SignInAsync(tenant.Supervisor);
        await page.ClickAsync("#approve");
        var code = QueryHelpers.ParseQuery(new Uri((await callback).Url).Query)["code"].ToString();

        var client = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);
        var (exchanged, tokens) = await client.ExchangeAsync(code, requests.Verifier, TestTenant.ChatGptCallback);
        Assert.Equal(System.Net.HttpStatusCode.OK, exchanged.StatusCode);
        var (refreshed, body) = await client.RefreshAsync(tokens!["refresh_token"]!.GetValue<string>());
        Assert.Equal(System.Net.HttpStatusCode.OK, refreshed.StatusCode);
        var validation = await app.ValidateAsync(body!["access_token"]!.GetValue<string>(), requests.McpResource);
        Assert.True(validation.IsValid);
        Assert.Equal(tenant.Supervisor.UserId, validation.Claims!.Subject);
    }

    [Fact]
    public async Task A_person_who_denies_sends_the_client_access_denied()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var requests = new OAuthRequests(app);
        await using var context = await Chromium.NewContextAsync("en-US");
        var page = await context.NewPageAsync();
        var callback = page.WaitForRequestAsync(r => r.Url.StartsWith(TestTenant.ClientCallback, StringComparison.Ordinal));

        await page.GotoAsync(new Uri(app.BaseAddress, OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, TestTenant.ClientCallback))).ToString());
        await page.SignInAsync(tenant.Technician);
        await page.ClickAsync("#deny");

        var query = QueryHelpers.ParseQuery(new Uri((await callback).Url).Query);
        Assert.Equal("access_denied", query["error"].ToString());
        Assert.Equal("xyz-state", query["state"].ToString());
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task A_wrong_password_shows_the_error_beside_the_form_on_a_phone_sized_screen()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var browser = await Chromium.BrowserAsync();
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 375, Height = 740 }, Locale = "es-CL" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/account/sign-in").ToString());
        await page.FillAsync("#email", tenant.Viewer.Email);
        await page.FillAsync("#password", "wrong");
        await page.ClickAsync("button[type=submit]");

        Assert.Equal("El correo o la contraseña no son correctos.", await page.Locator("#signin-error").InnerTextAsync());
        Assert.Equal(tenant.Viewer.Email, await page.Locator("#email").InputValueAsync());
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 375, $"page is {width}px wide on a 375px screen");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("sign-in-error-phone") });
    }
}
