using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Fractal.Functions.Hosting.Manage;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Identity;

/// <summary>
/// A password reset (by an administrator or the operator) ends the person's app authorizations, and a person's own
/// change asks for the current password and can end them too: whoever knew the old password may have connected an
/// app, which must not keep refreshing afterwards. Tests run with OAuth:StatusCacheSeconds = 0 (the bound has its own tests).
/// </summary>
public sealed class PasswordResetRevocationTests
{
    private sealed record ConnectedApp(string AccessToken, string RefreshToken);

    private static async Task<ConnectedApp> ConnectAsync(TestApp app, TestTenant tenant, TestUser user)
    {
        var tokens = await OAuthFlow.TokensAsync(app, tenant, user);
        var connected = new ConnectedApp(tokens["access_token"]!.GetValue<string>(), tokens["refresh_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, await McpStatusAsync(app, connected.AccessToken));
        return connected;
    }

    private static async Task<HttpStatusCode> McpStatusAsync(TestApp app, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp/oauth/fractal-one")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await app.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task AssertRevokedAsync(TestApp app, TestTenant tenant, ConnectedApp connected)
    {
        var (refresh, body) = await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RefreshAsync(connected.RefreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("invalid_grant", body!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, await McpStatusAsync(app, connected.AccessToken));
    }

    private static async Task<HttpResponseMessage> ChangePasswordAsync(BrowserlessSession browser, string? current, string password, bool revokeApps)
    {
        var fields = BrowserlessSession.HiddenFields(await browser.Http.GetStringAsync("/account/change-password"));
        if (current is not null) fields["current"] = current;
        fields["password"] = fields["repeat"] = password;
        if (revokeApps) fields["revoke_apps"] = "yes";
        return await browser.Http.PostAsync("/account/change-password", new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task An_administrators_password_reset_revokes_the_persons_apps_so_refresh_and_mcp_fail()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var connected = await ConnectAsync(app, tenant, tenant.Technician);

        using var admin = new BrowserlessSession(app);
        await admin.SignInOrFailAsync(tenant.Admin);
        var fields = BrowserlessSession.HiddenFields(await admin.Http.GetStringAsync("/settings/users"));
        fields["action"] = "reset";
        using var reset = await admin.Http.PostAsync($"/settings/users/{tenant.Technician.UserId}", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Contains("temporary-password", await reset.Content.ReadAsStringAsync());

        await AssertRevokedAsync(app, tenant, connected);
    }

    [Fact]
    public async Task The_operators_reset_password_verb_revokes_the_persons_apps_so_refresh_and_mcp_fail()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var connected = await ConnectAsync(app, tenant, tenant.Technician);

        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await ManageCommand.RunVerbAsync(app.Services, "reset-password", ManageOptions.Parse(["--email", tenant.Technician.Email]),
            new StringReader(""), output, errors);
        Assert.Equal(0, code);
        Assert.Contains("1 app authorization(s) revoked", output.ToString());

        await AssertRevokedAsync(app, tenant, connected);
    }

    [Fact]
    public async Task Changing_ones_own_password_needs_the_current_one_and_can_disconnect_every_app()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var connected = await ConnectAsync(app, tenant, tenant.Technician);
        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Technician);
        const string chosen = "a-new-password-of-my-own-2026";

        // A session alone (no current password, or a wrong one) changes nothing.
        Assert.Equal(HttpStatusCode.BadRequest, (await ChangePasswordAsync(browser, null, chosen, revokeApps: true)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ChangePasswordAsync(browser, "not-the-password", chosen, revokeApps: true)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await McpStatusAsync(app, connected.AccessToken));

        using var changed = await ChangePasswordAsync(browser, tenant.Technician.Password, chosen, revokeApps: true);
        Assert.Equal(HttpStatusCode.SeeOther, changed.StatusCode);
        await AssertRevokedAsync(app, tenant, connected);
        using var again = new BrowserlessSession(app);
        Assert.Equal(HttpStatusCode.SeeOther, (await again.SignInAsync(tenant.Technician.Email, chosen)).StatusCode);
    }

    [Fact]
    public async Task Changing_ones_own_password_without_disconnecting_keeps_the_apps()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var connected = await ConnectAsync(app, tenant, tenant.Technician);
        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Technician);

        Assert.Equal(HttpStatusCode.SeeOther, (await ChangePasswordAsync(browser, tenant.Technician.Password, "a-new-password-of-my-own-2026", revokeApps: false)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await McpStatusAsync(app, connected.AccessToken));
    }

    [Fact]
    public async Task Wrong_current_passwords_at_the_change_form_are_throttled_like_sign_in()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["SignIn:MaxFailuresPerIp"] = "3" });
        var tenant = await TestTenant.CreateAsync(app);
        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Technician);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await ChangePasswordAsync(browser, "guess-" + i, "a-new-password-of-my-own-2026", false)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChangePasswordAsync(browser, tenant.Technician.Password, "a-new-password-of-my-own-2026", false)).StatusCode);
    }
}
