using System.Net;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Identity;

public sealed class ConnectedAppsAndMcpSwitchTests
{
    [Fact]
    public async Task A_person_revokes_one_device_and_the_other_device_keeps_working_then_revokes_the_app()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var laptop = await OAuthFlow.TokensAsync(app, tenant);
        var phone = await OAuthFlow.TokensAsync(app, tenant);
        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Viewer);
        var page = await browser.Http.GetStringAsync("/account/connected-apps");
        Assert.Contains("<span class=\"device-count\">2</span>", page);

        var laptopFamily = (await app.ValidateAsync(laptop["access_token"]!.GetValue<string>(), new OAuthRequests(app).McpResource)).Claims!.FamilyId;
        var fields = BrowserlessSession.HiddenFields(page);
        fields["family"] = laptopFamily;
        using var revokedDevice = await browser.Http.PostAsync("/account/connected-apps/revoke-device", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.SeeOther, revokedDevice.StatusCode);

        var client = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);
        Assert.Equal("invalid_grant", (await client.RefreshAsync(laptop["refresh_token"]!.GetValue<string>())).Body!["error"]!.GetValue<string>());
        var (phoneOk, phoneBody) = await client.RefreshAsync(phone["refresh_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, phoneOk.StatusCode);

        fields = BrowserlessSession.HiddenFields(await browser.Http.GetStringAsync("/account/connected-apps"));
        fields.Remove("family");
        fields["client_id"] = tenant.ClientId;
        await browser.Http.PostAsync("/account/connected-apps/revoke", new FormUrlEncodedContent(fields));
        Assert.Equal("invalid_grant", (await client.RefreshAsync(phoneBody!["refresh_token"]!.GetValue<string>())).Body!["error"]!.GetValue<string>());
        Assert.Contains("id=\"no-apps\"", await browser.Http.GetStringAsync("/account/connected-apps"));
    }

    [Fact]
    public async Task A_person_cannot_revoke_someone_elses_device()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var supervisorTokens = await OAuthFlow.TokensAsync(app, tenant, tenant.Supervisor);
        var family = (await app.ValidateAsync(supervisorTokens["access_token"]!.GetValue<string>(), new OAuthRequests(app).McpResource)).Claims!.FamilyId;
        using var viewer = new BrowserlessSession(app);
        await viewer.SignInOrFailAsync(tenant.Viewer);
        var fields = BrowserlessSession.HiddenFields(await viewer.Http.GetStringAsync("/account/sign-in"));
        fields["family"] = family;
        await viewer.Http.PostAsync("/account/connected-apps/revoke-device", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, (await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RefreshAsync(supervisorTokens["refresh_token"]!.GetValue<string>())).Response.StatusCode);
    }

    [Fact]
    public async Task Turning_mcp_access_off_stops_mcp_tokens_for_the_tenant_until_it_is_turned_on_again()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        var pendingCode = await OAuthFlow.CodeAsync(app, tenant);
        using var admin = new BrowserlessSession(app);
        await admin.SignInOrFailAsync(tenant.Admin);

        async Task SwitchAsync(bool enabled)
        {
            var fields = BrowserlessSession.HiddenFields(await admin.Http.GetStringAsync("/settings/api-connections"));
            Assert.Equal(enabled ? "true" : "false", fields["enabled"]);
            Assert.Equal(HttpStatusCode.SeeOther, (await admin.Http.PostAsync("/settings/api-connections/mcp-access", new FormUrlEncodedContent(fields))).StatusCode);
        }

        await SwitchAsync(false);
        var client = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);
        Assert.Equal("invalid_grant", (await client.RefreshAsync(tokens["refresh_token"]!.GetValue<string>())).Body!["error"]!.GetValue<string>());
        Assert.Equal("invalid_grant", (await client.ExchangeAsync(pendingCode.Code, pendingCode.Requests.Verifier, pendingCode.RedirectUri)).Body!["error"]!.GetValue<string>());
        using var viewer = new BrowserlessSession(app);
        await viewer.SignInOrFailAsync(tenant.Viewer);
        var requests = new OAuthRequests(app);
        using var denied = await viewer.Http.GetAsync(OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, TestTenant.ClientCallback)));
        Assert.Equal("access_denied", OAuthRequests.RedirectParameters(denied)["error"]);

        await SwitchAsync(true);
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(tokens["refresh_token"]!.GetValue<string>())).Response.StatusCode);
    }
}
