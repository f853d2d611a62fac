using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fractal.Functions.Identity;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Identity;

/// <summary>Admins manage people through /api/v1/users; people change a temporary password; disables and role changes take effect.</summary>
public sealed class UserAccountsTests
{
    private static async Task<string> UsersApiTokenAsync(TestApp app, TestTenant tenant, TestUser? user = null)
    {
        var requests = new OAuthRequests(app);
        return (await OAuthFlow.TokensAsync(app, tenant, user ?? tenant.Admin, p => { p["resource"] = requests.ApiResource; p["scope"] = "user_administration"; }))["access_token"]!.GetValue<string>();
    }

    private static async Task<(HttpResponseMessage Response, JsonNode? Body)> SendAsync(TestApp app, HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        var response = await app.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task A_created_user_gets_a_temporary_password_and_must_choose_their_own_at_first_sign_in()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var token = await UsersApiTokenAsync(app, tenant);
        var email = $"new-{Guid.NewGuid():N}@test.example";
        var (created, body) = await SendAsync(app, HttpMethod.Post, "/api/v1/users", token, new { email, display_name = "New Tech", role = "technician" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var temporary = body!["temporary_password"]!.GetValue<string>();
        Assert.True(body["must_change_password"]!.GetValue<bool>());

        using var browser = new BrowserlessSession(app);
        using var signIn = await browser.SignInAsync(email, temporary, "/account/connected-apps");
        Assert.StartsWith("/account/change-password", signIn.Headers.Location!.ToString());
        var page = await browser.Http.GetStringAsync(signIn.Headers.Location);
        var fields = BrowserlessSession.HiddenFields(page);
        fields["current"] = temporary;
        fields["password"] = fields["repeat"] = "short";
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.Http.PostAsync("/account/change-password", new FormUrlEncodedContent(fields))).StatusCode);
        fields["password"] = fields["repeat"] = "a-long-enough-password-2026";
        using var changed = await browser.Http.PostAsync("/account/change-password", new FormUrlEncodedContent(fields));
        Assert.Equal("/account/connected-apps", changed.Headers.Location!.ToString());

        using var again = new BrowserlessSession(app);
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.SignInAsync(email, temporary)).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await again.SignInAsync(email, "a-long-enough-password-2026")).StatusCode);
    }

    [Fact]
    public async Task Creating_a_user_with_an_address_of_another_tenant_is_answered_like_a_new_address_and_leaves_that_account_alone()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var elsewhere = await TestTenant.CreateAsync(app);
        var token = await UsersApiTokenAsync(app, tenant);

        var fresh = $"fresh-{Guid.NewGuid():N}@test.example";
        var (newAddress, newBody) = await SendAsync(app, HttpMethod.Post, "/api/v1/users", token, new { email = fresh, display_name = "Fresh", role = "viewer" });
        var (heldElsewhere, heldBody) = await SendAsync(app, HttpMethod.Post, "/api/v1/users", token, new { email = elsewhere.Viewer.Email, display_name = "Fresh", role = "viewer" });

        // The same answer, field for field: nothing tells the admin that the address has an account elsewhere.
        Assert.Equal(HttpStatusCode.Created, newAddress.StatusCode);
        Assert.Equal(newAddress.StatusCode, heldElsewhere.StatusCode);
        Assert.Equal(newBody!.AsObject().Select(p => p.Key).Order(), heldBody!.AsObject().Select(p => p.Key).Order());

        // The address still signs in to its own account, also after the admin deletes their copy.
        using (var browser = new BrowserlessSession(app)) await browser.SignInOrFailAsync(elsewhere.Viewer);
        var (deleted, _) = await SendAsync(app, HttpMethod.Delete, $"/api/v1/users/{heldBody["id"]!.GetValue<string>()}", token);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using (var browser = new BrowserlessSession(app)) await browser.SignInOrFailAsync(elsewhere.Viewer);
    }

    [Fact]
    public async Task Creating_a_user_with_a_taken_email_is_a_conflict_and_bad_fields_are_named()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var token = await UsersApiTokenAsync(app, tenant);
        var (taken, _) = await SendAsync(app, HttpMethod.Post, "/api/v1/users", token, new { email = tenant.Viewer.Email, display_name = "Dup", role = "viewer" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        var (invalid, problem) = await SendAsync(app, HttpMethod.Post, "/api/v1/users", token, new { email = "not-an-email", display_name = "", role = "emperor" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.NotNull(problem!["errors"]!["email"]);
        Assert.NotNull(problem["errors"]!["display_name"]);
        Assert.NotNull(problem["errors"]!["role"]);
    }

    [Fact]
    public async Task A_role_change_reaches_the_permission_check_of_an_existing_token_within_the_bound()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["OAuth:StatusCacheSeconds"] = "60" }, s => s.AddSingleton<TimeProvider>(time));
        var tenant = await TestTenant.CreateAsync(app);
        var technicianToken = (await OAuthFlow.TokensAsync(app, tenant, tenant.Technician))["access_token"]!.GetValue<string>();
        var permissions = app.Services.GetRequiredService<UserPermissions>();
        var claims = (await app.ValidateAsync(technicianToken, new OAuthRequests(app).McpResource)).Claims!;
        Assert.True((await permissions.GetAsync(claims.Tenant, claims.Subject, default)).Has(Permissions.WorkOrdersExecute));

        var token = await UsersApiTokenAsync(app, tenant);
        var (patched, body) = await SendAsync(app, HttpMethod.Patch, $"/api/v1/users/{tenant.Technician.UserId}", token, new { role = "viewer" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("viewer", body!["role"]!.GetValue<string>());

        time.Advance(TimeSpan.FromSeconds(61));
        var standing = await permissions.GetAsync(claims.Tenant, claims.Subject, default);
        Assert.False(standing.Has(Permissions.WorkOrdersExecute));
        Assert.True(standing.Has(Permissions.WorkOrdersRead));
    }

    [Fact]
    public async Task Disabling_a_user_ends_their_sessions_and_token_families_and_enabling_does_not_revive_them()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant, tenant.Technician);
        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Technician);
        var token = await UsersApiTokenAsync(app, tenant);

        await SendAsync(app, HttpMethod.Patch, $"/api/v1/users/{tenant.Technician.UserId}", token, new { enabled = false });
        Assert.DoesNotContain(tenant.Technician.Email, await browser.Http.GetStringAsync("/account/sign-in"));
        var client = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);
        Assert.Equal("invalid_grant", (await client.RefreshAsync(tokens["refresh_token"]!.GetValue<string>())).Body!["error"]!.GetValue<string>());
        Assert.False((await app.ValidateAsync(tokens["access_token"]!.GetValue<string>(), new OAuthRequests(app).McpResource)).IsValid);

        await SendAsync(app, HttpMethod.Patch, $"/api/v1/users/{tenant.Technician.UserId}", token, new { enabled = true });
        Assert.DoesNotContain(tenant.Technician.Email, await browser.Http.GetStringAsync("/account/sign-in"));
        Assert.Equal("invalid_grant", (await client.RefreshAsync(tokens["refresh_token"]!.GetValue<string>())).Body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_admin_cannot_disable_or_demote_themselves()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var token = await UsersApiTokenAsync(app, tenant);
        var (response, _) = await SendAsync(app, HttpMethod.Patch, $"/api/v1/users/{tenant.Admin.UserId}", token, new { enabled = false });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_users_api_refuses_people_without_users_manage_and_other_tenants_users_are_not_found()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var other = await TestTenant.CreateAsync(app);
        var supervisorToken = await UsersApiTokenAsync(app, tenant, tenant.Supervisor);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(app, HttpMethod.Get, "/api/v1/users", supervisorToken)).Response.StatusCode);
        var adminToken = await UsersApiTokenAsync(app, tenant);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app, HttpMethod.Get, $"/api/v1/users/{other.Viewer.UserId}", adminToken)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app, HttpMethod.Patch, $"/api/v1/users/{other.Viewer.UserId}", adminToken, new { enabled = false })).Response.StatusCode);
        var (_, list) = await SendAsync(app, HttpMethod.Get, "/api/v1/users", adminToken);
        Assert.Equal(4, list!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Deleting_a_user_frees_the_email_and_ends_their_authorizations()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        var token = await UsersApiTokenAsync(app, tenant);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(app, HttpMethod.Delete, $"/api/v1/users/{tenant.Viewer.UserId}", token)).Response.StatusCode);
        Assert.Equal("invalid_grant", (await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RefreshAsync(tokens["refresh_token"]!.GetValue<string>())).Body!["error"]!.GetValue<string>());
        var (recreated, _) = await SendAsync(app, HttpMethod.Post, "/api/v1/users", token, new { email = tenant.Viewer.Email, display_name = "Back", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, recreated.StatusCode);
    }
}
