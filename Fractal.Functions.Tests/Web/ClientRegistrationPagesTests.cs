using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Tests.Infrastructure;
using Fractal.Functions.Tests.OAuth.Registration;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fractal.Functions.Tests.Web;

/// <summary>The consent page of clients of no tenant, and the tenant admin's rules for them, in headless Chromium.</summary>
public sealed class ClientRegistrationPagesTests
{
    [Fact]
    public async Task The_consent_page_of_a_metadata_document_client_shows_the_documents_host_prominently()
    {
        var (app, documents) = await RegistrationApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        await RegistrationApp.SetTenantRulesAsync(app, tenant.Id, hosts: "127.0.0.1");
        var url = documents.NewUrl();
        documents.ServeJson(url, MetadataDocumentServer.Document(url, "ChatGPT", TestTenant.ChatGptCallback));
        var requests = new OAuthRequests(app);
        await using var context = await Chromium.NewContextAsync("en-US");

        var page = await context.SignedInPageAsync(app, tenant.Viewer, OAuthRequests.AuthorizeUrl(requests.Parameters(url, TestTenant.ChatGptCallback)));
        await page.WaitForSelectorAsync("#approve");
        var host = page.Locator("#consent-client-host");
        Assert.Equal("Identified by its client metadata document at 127.0.0.1", (await host.InnerTextAsync()).Trim());
        Assert.Equal("STRONG", await host.EvaluateAsync<string>("e => e.tagName"));
        Assert.Contains("ChatGPT", await page.Locator("#consent-client").InnerTextAsync());
        Assert.Contains("chatgpt.com", await page.Locator("#consent-redirect-host").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("consent-metadata-document") });

        var pageCallback = page.WaitForRequestAsync(r => r.Url.StartsWith(TestTenant.ChatGptCallback, StringComparison.Ordinal));
        await page.ClickAsync("#approve");
        var query = QueryHelpers.ParseQuery(new Uri((await pageCallback).Url).Query);
        Assert.False(string.IsNullOrEmpty(query["code"]));
        Assert.Equal(requests.Issuer, query["iss"].ToString());
    }

    [Fact]
    public async Task The_consent_page_of_a_dynamic_client_says_it_registered_itself()
    {
        var (app, _) = await RegistrationApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var (clientId, _) = await Register.ClientAsync(app);
        await using var context = await Chromium.NewContextAsync("es-CL");
        var page = await context.SignedInPageAsync(app, tenant.Viewer, OAuthRequests.AuthorizeUrl(new OAuthRequests(app).Parameters(clientId, TestTenant.ClientCallback)));
        await page.WaitForSelectorAsync("#approve");
        var marker = page.Locator("#consent-dynamic");
        Assert.Contains("se registró por sí misma", await marker.InnerTextAsync());
        // As prominent as a document's host: bold in the larger client-host line, not a muted footnote.
        Assert.Equal("STRONG", await marker.EvaluateAsync<string>("e => e.tagName"));
        Assert.Equal("client-host", await marker.EvaluateAsync<string>("e => e.parentElement.className"));
        Assert.Equal(0, await page.Locator("#consent-client-host").CountAsync());
    }

    [Fact]
    public async Task A_tenant_admin_blocks_dynamic_clients_and_edits_the_host_allowlist_on_the_api_connection_page()
    {
        var (app, _) = await RegistrationApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        await using var context = await Chromium.NewContextAsync("en-US");
        var page = await context.SignedInPageAsync(app, tenant.Admin, "/settings/api-connections");

        Assert.True(await page.Locator("#allow-dynamic").IsCheckedAsync());
        Assert.Equal("chatgpt.com claude.ai", await page.Locator("#metadata-hosts").InputValueAsync());
        Assert.Contains("Dynamic registration is turned on", await page.Locator("#registration-server").InnerTextAsync());

        await page.UncheckAsync("#allow-dynamic");
        await page.FillAsync("#metadata-hosts", "ChatGPT.com, mcp.example.org");
        await page.SubmitAsync("#save-registration");
        await Expect(page.Locator("#metadata-hosts")).ToHaveValueAsync("chatgpt.com mcp.example.org");
        await Expect(page.Locator("#allow-dynamic")).Not.ToBeCheckedAsync();
        var stored = (await app.Services.GetRequiredService<TenantStore>().FindAsync(tenant.Id))!;
        Assert.False(stored.DynamicClientsAllowed);
        Assert.Equal(["chatgpt.com", "mcp.example.org"], stored.MetadataDocumentHostList);

        // Something that is not a host name is refused and changes nothing.
        await page.FillAsync("#metadata-hosts", "https://chatgpt.com/oauth");
        await page.SubmitAsync("#save-registration");
        await page.WaitForSelectorAsync("#registration-error");
        Assert.Equal("chatgpt.com mcp.example.org", (await app.Services.GetRequiredService<TenantStore>().FindAsync(tenant.Id))!.MetadataDocumentHosts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("api-connections-registration") });
    }

    [Fact]
    public async Task A_person_without_api_connections_permission_cannot_change_the_rules()
    {
        var (app, _) = await RegistrationApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Viewer);
        var fields = BrowserlessSession.HiddenFields(await browser.Http.GetStringAsync("/account/connected-apps"));
        fields["hosts"] = "evil.example";
        using var response = await browser.Http.PostAsync("/settings/api-connections/client-registration", new FormUrlEncodedContent(fields));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(TenantEntity.DefaultMetadataDocumentHosts, (await app.Services.GetRequiredService<TenantStore>().FindAsync(tenant.Id))!.MetadataDocumentHosts);
    }
}
