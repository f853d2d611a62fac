using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fractal.Functions.Consumers;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Consumers;

/// <summary>The admin JSON API for consumers and app authorizations (resource &lt;base&gt;/api/v1).</summary>
public sealed class ConsumersApiTests
{
    private static async Task<string> AdminApiTokenAsync(TestApp app, TestTenant tenant, TestUser? user = null, string scope = "api_connections")
    {
        var requests = new OAuthRequests(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant, user ?? tenant.Admin, p => { p["resource"] = requests.ApiResource; p["scope"] = scope; });
        return tokens["access_token"]!.GetValue<string>();
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }

    private static async Task<(HttpResponseMessage Response, JsonNode? Body)> SendAsync(TestApp app, HttpRequestMessage request)
    {
        var response = await app.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static object ValidBody(string name = "ChatGPT connector") => new
    {
        name,
        description = "For the maintenance team",
        client_type = "confidential",
        callback_urls = new[] { "https://chatgpt.com/connector_platform_oauth_redirect" },
        privacy_policy_url = "https://example.com/privacy",
        permission_group = "viewer",
    };

    [Fact]
    public async Task An_anonymous_call_is_401_with_the_admin_api_resource_metadata()
    {
        var app = await TestApp.Shared;
        var (response, body) = await SendAsync(app, Request(HttpMethod.Get, "/api/v1/consumers", null));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var challenge = response.Headers.WwwAuthenticate.Single().ToString();
        Assert.Contains($"resource_metadata=\"{app.Issuer()}/.well-known/oauth-protected-resource/api/v1\"", challenge);
        Assert.Equal(401, body!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_mcp_audience_token_is_refused_as_invalid_token()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var mcpToken = (await OAuthFlow.TokensAsync(app, tenant, tenant.Admin))["access_token"]!.GetValue<string>();
        var (response, _) = await SendAsync(app, Request(HttpMethod.Get, "/api/v1/consumers", mcpToken));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task A_token_without_the_api_connections_scope_is_403_insufficient_scope()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var token = await AdminApiTokenAsync(app, tenant, scope: "offline_access");
        var (response, _) = await SendAsync(app, Request(HttpMethod.Get, "/api/v1/consumers", token));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task A_technician_is_refused_even_with_an_api_token()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var token = await AdminApiTokenAsync(app, tenant, tenant.Technician);
        var (response, body) = await SendAsync(app, Request(HttpMethod.Get, "/api/v1/consumers", token));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("api_connections.manage", body!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_admin_creates_reads_lists_searches_updates_and_deletes_a_consumer()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var token = await AdminApiTokenAsync(app, tenant);

        var (created, createdBody) = await SendAsync(app, Request(HttpMethod.Post, "/api/v1/consumers", token, ValidBody("Zeta connector")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var clientId = createdBody!["client_id"]!.GetValue<string>();
        var secret = createdBody["client_secret"]!.GetValue<string>();
        Assert.True(clientId.Length >= 20);
        Assert.True(secret.Length >= 43);
        Assert.Equal($"/api/v1/consumers/{clientId}", created.Headers.Location!.ToString());
        Assert.Equal(secret[..4], createdBody["secret_prefix"]!.GetValue<string>());

        var (_, read) = await SendAsync(app, Request(HttpMethod.Get, $"/api/v1/consumers/{clientId}", token));
        Assert.Equal("Zeta connector", read!["name"]!.GetValue<string>());
        Assert.Null(read["client_secret"]);

        var (_, list) = await SendAsync(app, Request(HttpMethod.Get, "/api/v1/consumers", token));
        Assert.Equal(2, list!["total"]!.GetValue<int>());
        var (_, search) = await SendAsync(app, Request(HttpMethod.Get, "/api/v1/consumers?search=zeta", token));
        Assert.Equal([clientId], search!["items"]!.AsArray().Select(i => i!["client_id"]!.GetValue<string>()));

        var (updated, updatedBody) = await SendAsync(app, Request(HttpMethod.Put, $"/api/v1/consumers/{clientId}", token, ValidBody("Alpha connector")));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Alpha connector", updatedBody!["name"]!.GetValue<string>());
        var (_, renamed) = await SendAsync(app, Request(HttpMethod.Get, "/api/v1/consumers?search=alpha", token));
        Assert.Single(renamed!["items"]!.AsArray());
        var (_, old) = await SendAsync(app, Request(HttpMethod.Get, "/api/v1/consumers?search=zeta", token));
        Assert.Empty(old!["items"]!.AsArray());

        var (deleted, _) = await SendAsync(app, Request(HttpMethod.Delete, $"/api/v1/consumers/{clientId}", token));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app, Request(HttpMethod.Get, $"/api/v1/consumers/{clientId}", token))).Response.StatusCode);
        var (_, after) = await SendAsync(app, Request(HttpMethod.Get, "/api/v1/consumers", token));
        Assert.Equal(1, after!["total"]!.GetValue<int>());
        Assert.Null(await app.Services.GetRequiredService<ConsumerStore>().FindByClientIdAsync(clientId));
    }

    [Theory]
    [InlineData("name", "")]
    [InlineData("callback_urls", "http://example.com/callback")]
    [InlineData("callback_urls", "https://example.com/cb#fragment")]
    [InlineData("callback_urls", "not a url")]
    [InlineData("privacy_policy_url", "http://example.com/privacy")]
    [InlineData("permission_group", "no-such-role")]
    [InlineData("client_type", "trusted")]
    public async Task An_invalid_field_is_a_problem_naming_the_field_and_creates_nothing(string field, string value)
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var token = await AdminApiTokenAsync(app, tenant);
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(ValidBody()))!.AsObject();
        body[field] = field == "callback_urls" ? new JsonArray(value) : value;

        var (response, problem) = await SendAsync(app, Request(HttpMethod.Post, "/api/v1/consumers", token, body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(problem!["errors"]![field]);
        Assert.Equal(1, await app.Services.GetRequiredService<ConsumerStore>().CountAsync(tenant.Id));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_problem()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var token = await AdminApiTokenAsync(app, tenant);
        var request = Request(HttpMethod.Post, "/api/v1/consumers", token);
        request.Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        var (response, _) = await SendAsync(app, request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Rotating_the_secret_refuses_the_old_one_at_the_token_endpoint_at_once()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var token = await AdminApiTokenAsync(app, tenant);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);

        var (rotated, body) = await SendAsync(app, Request(HttpMethod.Post, $"/api/v1/consumers/{tenant.ClientId}/rotate-secret", token));
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var newSecret = body!["client_secret"]!.GetValue<string>();

        var oldClient = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);
        Assert.Equal("invalid_client", (await oldClient.RefreshAsync(tokens["refresh_token"]!.GetValue<string>())).Body!["error"]!.GetValue<string>());
        var newClient = new TokenClient(app, tenant.ClientId, newSecret);
        Assert.Equal(HttpStatusCode.OK, (await newClient.RefreshAsync(tokens["refresh_token"]!.GetValue<string>())).Response.StatusCode);
    }

    [Fact]
    public async Task Deleting_a_consumer_revokes_its_grants_and_tokens()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var token = await AdminApiTokenAsync(app, tenant);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        await SendAsync(app, Request(HttpMethod.Delete, $"/api/v1/consumers/{tenant.ClientId}", token));

        Assert.False((await app.ValidateAsync(tokens["access_token"]!.GetValue<string>(), new OAuthRequests(app).McpResource)).IsValid);
        var (response, body) = await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RefreshAsync(tokens["refresh_token"]!.GetValue<string>());
        Assert.Equal("invalid_client", body!["error"]!.GetValue<string>());
        Assert.Null(await app.Services.GetRequiredService<Fractal.Functions.OAuth.Grants.GrantStore>().FindGrantAsync(tenant.Id, tenant.Viewer.UserId, tenant.ClientId));
    }

    [Fact]
    public async Task An_admin_of_another_tenant_cannot_read_change_or_delete_a_consumer()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var other = await TestTenant.CreateAsync(app);
        var token = await AdminApiTokenAsync(app, other);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app, Request(HttpMethod.Get, $"/api/v1/consumers/{tenant.ClientId}", token))).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app, Request(HttpMethod.Put, $"/api/v1/consumers/{tenant.ClientId}", token, ValidBody()))).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app, Request(HttpMethod.Post, $"/api/v1/consumers/{tenant.ClientId}/rotate-secret", token))).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app, Request(HttpMethod.Delete, $"/api/v1/consumers/{tenant.ClientId}", token))).Response.StatusCode);
        Assert.NotNull(await app.Services.GetRequiredService<ConsumerStore>().FindAsync(tenant.Id, tenant.ClientId));
    }

    [Fact]
    public async Task The_session_works_with_the_anti_csrf_header_and_not_without_it()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Admin);
        var page = await browser.Http.GetStringAsync("/account/sign-in");
        var csrf = BrowserlessSession.HiddenFields(page)["csrf"];

        using var without = await browser.Http.GetAsync("/api/v1/consumers");
        Assert.Equal(HttpStatusCode.Forbidden, without.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/consumers");
        request.Headers.Add("X-CSRF-Token", csrf);
        using var with = await browser.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    [Fact]
    public async Task When_the_secret_store_fails_creation_answers_503_and_leaves_no_half_made_consumer()
    {
        // Its own vault and storage: the service keys in storage must point at secrets in this vault.
        await using var vault = await FakeKeyVault.StartAsync();
        await using var azurite = await Azurite.StartAsync();
        await using var app = await TestApp.StartAsync(vault: vault, azurite: azurite);
        var tenant = await TestTenant.CreateAsync(app);
        var token = await AdminApiTokenAsync(app, tenant);
        vault.Available = false;
        var (response, _) = await SendAsync(app, Request(HttpMethod.Post, "/api/v1/consumers", token, ValidBody("Half made")));
        vault.Available = true;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var store = app.Services.GetRequiredService<ConsumerStore>();
        Assert.Equal(1, await store.CountAsync(tenant.Id));
        Assert.Empty((await store.ListAsync(tenant.Id, "half", 10, null)).Items);
    }

    [Fact]
    public async Task App_authorizations_are_listed_and_one_can_be_revoked()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var token = await AdminApiTokenAsync(app, tenant);
        var viewerTokens = await OAuthFlow.TokensAsync(app, tenant);

        var (_, list) = await SendAsync(app, Request(HttpMethod.Get, "/api/v1/app-authorizations", token));
        var entry = list!["items"]!.AsArray().Single(i => i!["user_email"]!.GetValue<string>() == tenant.Viewer.Email)!;
        Assert.Equal(1, entry["active_connections"]!.GetValue<int>());
        Assert.Equal("maintenance.read maintenance.write offline_access", entry["scope"]!.GetValue<string>());

        var (revoked, _) = await SendAsync(app, Request(HttpMethod.Delete, $"/api/v1/app-authorizations/{entry["id"]!.GetValue<string>()}", token));
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal("invalid_grant", (await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RefreshAsync(viewerTokens["refresh_token"]!.GetValue<string>())).Body!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app, Request(HttpMethod.Delete, $"/api/v1/app-authorizations/{entry["id"]!.GetValue<string>()}", token))).Response.StatusCode);
    }

    [Fact]
    public async Task A_malformed_cursor_is_a_400_problem()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var token = await AdminApiTokenAsync(app, tenant);
        var (response, _) = await SendAsync(app, Request(HttpMethod.Get, "/api/v1/consumers?cursor=forged.cursor", token));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
