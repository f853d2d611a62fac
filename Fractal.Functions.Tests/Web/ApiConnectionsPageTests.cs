using System.Text.RegularExpressions;
using Fractal.Functions.Consumers;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fractal.Functions.Tests.Web;

/// <summary>Settings › API Connections as an administrator uses it, in headless Chromium.</summary>
public sealed class ApiConnectionsPageTests
{
    [Fact]
    public async Task An_admin_creates_a_consumer_copies_its_key_and_secret_and_an_authorization_works_with_them()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var browser = await Chromium.BrowserAsync();
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US" });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = app.Issuer() });
        var page = await context.SignedInPageAsync(app, tenant.Admin, "/settings/api-connections/consumers");

        await page.ClickAsync("#new-consumer");
        await page.FillAsync("#name", "Plant ChatGPT");
        await page.FillAsync("#callback_urls", TestTenant.ClientCallback);
        await page.FillAsync("#privacy_policy_url", "https://example.com/privacy");
        await page.SelectOptionAsync("#permission_group", "technician");
        await page.ClickAsync("#save");

        var key = (await page.Locator("#consumer-key").InnerTextAsync()).Trim();
        var secret = (await page.Locator("#consumer-secret").InnerTextAsync()).Trim();
        await page.ClickAsync("button[data-copy=consumer-secret]");
        Assert.Equal(secret, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("consumer-created") });

        var code = await OAuthFlow.CodeAsync(app, tenant, clientId: key);
        var (response, body) = await new TokenClient(app, key, secret).ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(body!["access_token"]);
    }

    [Fact]
    public async Task Form_errors_show_beside_their_fields_and_keep_what_was_typed()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        await using var context = await Chromium.NewContextAsync("es-CL");
        var page = await context.SignedInPageAsync(app, tenant.Admin, "/settings/api-connections/consumers/new");

        await page.FillAsync("#description", "Sin nombre");
        await page.FillAsync("#callback_urls", "http://example.com/callback");
        await page.FillAsync("#eula_url", "ftp://example.com/eula");
        await page.ClickAsync("#save");

        Assert.Equal("Ingresa un nombre.", await page.Locator("#error-name").InnerTextAsync());
        Assert.Contains("https", await page.Locator("#error-callback_urls").InnerTextAsync());
        Assert.Contains("https", await page.Locator("#error-eula_url").InnerTextAsync());
        Assert.Equal("Sin nombre", await page.Locator("#description").InputValueAsync());
        Assert.Equal("http://example.com/callback", await page.Locator("#callback_urls").InputValueAsync());
        Assert.Equal("true", await page.Locator("#callback_urls").GetAttributeAsync("aria-invalid"));
        Assert.Equal(1, await app.Services.GetRequiredService<ConsumerStore>().CountAsync(tenant.Id));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("consumer-form-errors-es"), FullPage = true });
    }

    [Fact]
    public async Task An_admin_edits_rotates_the_secret_and_deletes_a_consumer()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        await using var context = await Chromium.NewContextAsync("en-US");
        var page = await context.SignedInPageAsync(app, tenant.Admin, $"/settings/api-connections/consumers/{tenant.ClientId}");

        await page.FillAsync("#name", "Renamed connector");
        await page.ClickAsync("#save");
        Assert.Contains("Renamed connector", await page.Locator("#consumers").InnerTextAsync());

        await page.ClickAsync("text=Renamed connector");
        await page.ClickAsync("#rotate");
        var newSecret = (await page.Locator("#consumer-secret").InnerTextAsync()).Trim();
        var refresh = tokens["refresh_token"]!.GetValue<string>();
        Assert.Equal("invalid_client", (await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RefreshAsync(refresh)).Body!["error"]!.GetValue<string>());
        var (ok, rotated) = await new TokenClient(app, tenant.ClientId, newSecret).RefreshAsync(refresh);
        Assert.Equal(System.Net.HttpStatusCode.OK, ok.StatusCode);

        await page.GotoAsync(new Uri(app.BaseAddress, $"/settings/api-connections/consumers/{tenant.ClientId}").ToString());
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.ClickAsync("#delete");
        await page.WaitForSelectorAsync("#consumers");
        Assert.DoesNotContain("Renamed connector", await page.Locator("#consumers").InnerTextAsync());
        Assert.Equal("invalid_client", (await new TokenClient(app, tenant.ClientId, newSecret).RefreshAsync(rotated!["refresh_token"]!.GetValue<string>())).Body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_admin_pages_through_sixty_consumers_searches_and_deletes_a_selection()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var store = app.Services.GetRequiredService<ConsumerStore>();
        for (var i = 1; i < 60; i++)
            await store.CreateAsync(tenant.Id, new ConsumerDraft($"Batch {i:D2}", "", "confidential", [TestTenant.ClientCallback], null, null, null, "viewer"));
        await using var context = await Chromium.NewContextAsync("en-US");
        var page = await context.SignedInPageAsync(app, tenant.Admin, "/settings/api-connections/consumers");

        Assert.Equal("Showing 25 of 60", await page.Locator("#showing").InnerTextAsync());
        Assert.Equal(25, await page.Locator("#consumers tbody tr").CountAsync());
        // The next page has the same ids as this one: the assertions retry until it is the next page.
        await page.ClickAsync("#next-page");
        await Expect(page.Locator("#showing")).ToHaveTextAsync("Showing 50 of 60");
        await page.ClickAsync("#next-page");
        await Expect(page.Locator("#showing")).ToHaveTextAsync("Showing 60 of 60");
        await Expect(page.Locator("#next-page")).ToHaveCountAsync(0);

        await page.FillAsync("#search", "batch 1");
        await page.PressAsync("#search", "Enter");
        await Expect(page).ToHaveURLAsync(new Regex("search=batch"));
        await Expect(page.Locator("#consumers tbody tr")).ToHaveCountAsync(10);
        await page.Locator("#consumers tbody tr").Nth(0).Locator("input[type=checkbox]").CheckAsync();
        await page.Locator("#consumers tbody tr").Nth(1).Locator("input[type=checkbox]").CheckAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.SubmitAsync("#delete-selected");
        await Expect(page.Locator("#showing")).ToHaveTextAsync("Showing 25 of 58");
        Assert.Equal(58, await store.CountAsync(tenant.Id));
    }

    [Fact]
    public async Task An_admin_revokes_an_app_authorization_from_its_tab()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        await using var context = await Chromium.NewContextAsync("en-US");
        var page = await context.SignedInPageAsync(app, tenant.Admin, "/settings/api-connections/app-authorizations");

        var row = page.Locator("#authorizations tbody tr", new PageLocatorOptions { HasText = tenant.Viewer.Email });
        Assert.Equal("1", await row.Locator(".connections").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("app-authorizations") });
        await row.Locator("button").SubmitAsync();
        await Expect(page.Locator("#authorizations")).Not.ToContainTextAsync(tenant.Viewer.Email);
        Assert.Equal("invalid_grant", (await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RefreshAsync(tokens["refresh_token"]!.GetValue<string>())).Body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_technician_is_refused_the_settings_pages()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        await using var context = await Chromium.NewContextAsync("en-US");
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(new Uri(app.BaseAddress, "/settings/api-connections").ToString());
        Assert.Contains("/account/sign-in", page.Url);
        var navigation = page.WaitForResponseAsync(r => r.Url.EndsWith("/settings/api-connections"));
        await page.SignInAsync(tenant.Technician);
        Assert.Equal(403, (await navigation).Status);
        await Expect(page.Locator("main")).ToContainTextAsync("permission");
    }

    [Fact]
    public async Task The_api_connection_tab_shows_the_urls_to_paste_with_copy_buttons()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        await using var context = await Chromium.NewContextAsync("es-CL");
        var page = await context.SignedInPageAsync(app, tenant.Admin, "/settings/api-connections");
        Assert.Equal(app.Issuer() + "/mcp/oauth/fractal-one", (await page.Locator("#mcp-url").InnerTextAsync()).Trim());
        Assert.Equal("https://chatgpt.com/connector_platform_oauth_redirect", (await page.Locator("#callback-chatgpt").InnerTextAsync()).Trim());
        Assert.Equal("https://claude.ai/api/mcp/auth_callback", (await page.Locator("#callback-claude-ai").InnerTextAsync()).Trim());
        Assert.Equal(6, await page.Locator("button[data-copy]").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("api-connection-es"), FullPage = true });
    }
}
