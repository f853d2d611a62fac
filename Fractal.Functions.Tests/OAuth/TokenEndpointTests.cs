using System.Net;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using static Fractal.Functions.Tests.Infrastructure.TokenClient;

namespace Fractal.Functions.Tests.OAuth;

/// <summary>The code exchange: what it returns and each rule it enforces (RFC 6749 §4.1.3, RFC 7636, RFC 8707, RFC 9068).</summary>
public sealed class TokenEndpointTests
{
    private static async Task<(TestApp App, TestTenant Tenant, IssuedCode Code, TokenClient Client)> ArrangeAsync()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var code = await OAuthFlow.CodeAsync(app, tenant);
        return (app, tenant, code, new TokenClient(app, tenant.ClientId, tenant.ClientSecret));
    }

    private static void AssertError(HttpResponseMessage response, System.Text.Json.Nodes.JsonNode? body, string error, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(error, body?["error"]?.GetValue<string>());
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
    }

    [Fact]
    public async Task Exchanging_a_code_returns_an_rfc9068_access_token_and_a_refresh_token_that_are_not_cached()
    {
        var (app, tenant, code, client) = await ArrangeAsync();
        var (response, body) = await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("Bearer", body!["token_type"]!.GetValue<string>());
        Assert.Equal(3600, body["expires_in"]!.GetValue<int>());
        Assert.Equal("maintenance.read maintenance.write offline_access", body["scope"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["refresh_token"]!.GetValue<string>()));

        var jwt = new JsonWebToken(body["access_token"]!.GetValue<string>());
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal("RS256", jwt.Alg);
        Assert.False(string.IsNullOrEmpty(jwt.Kid));
        Assert.Equal(code.Requests.Issuer, jwt.Issuer);
        Assert.Equal([code.Requests.McpResource], jwt.Audiences);
        Assert.Equal(tenant.Viewer.UserId, jwt.Subject);
        Assert.Equal(tenant.ClientId, jwt.GetPayloadValue<string>("client_id"));
        Assert.Equal("maintenance.read maintenance.write offline_access", jwt.GetPayloadValue<string>("scope"));
        Assert.Equal(tenant.Id.Value, jwt.GetPayloadValue<string>("tid"));
        Assert.False(string.IsNullOrEmpty(jwt.Id));
    }

    [Fact]
    public async Task Client_secret_basic_authenticates_like_client_secret_post()
    {
        var (_, _, code, client) = await ArrangeAsync();
        var (response, _) = await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri, Auth.Basic);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_public_consumer_exchanges_with_none_and_pkce()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app, clientType: "public");
        var code = await OAuthFlow.CodeAsync(app, tenant);
        var (response, body) = await new TokenClient(app, tenant.ClientId, null).ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri, Auth.None);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(body!["access_token"]);
    }

    [Fact]
    public async Task A_confidential_consumer_may_not_use_none()
    {
        var (app, tenant, code, _) = await ArrangeAsync();
        var (response, body) = await new TokenClient(app, tenant.ClientId, null).ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri, Auth.None);
        AssertError(response, body, "invalid_client", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_wrong_secret_by_basic_is_401_invalid_client_with_a_basic_challenge_and_consumes_nothing()
    {
        var (app, tenant, code, client) = await ArrangeAsync();
        var (response, body) = await new TokenClient(app, tenant.ClientId, "wrong-secret").ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri, Auth.Basic);
        AssertError(response, body, "invalid_client", HttpStatusCode.Unauthorized);
        Assert.StartsWith("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.OK, (await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri)).Response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_secret_by_post_is_401_invalid_client_and_consumes_nothing()
    {
        var (app, tenant, code, client) = await ArrangeAsync();
        var (response, body) = await new TokenClient(app, tenant.ClientId, "wrong-secret").ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri);
        AssertError(response, body, "invalid_client", HttpStatusCode.Unauthorized);
        Assert.DoesNotContain("wrong-secret", body!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri)).Response.StatusCode);
    }

    [Fact]
    public async Task A_reused_code_is_invalid_grant_and_revokes_the_family_it_started()
    {
        var (app, _, code, client) = await ArrangeAsync();
        var (_, first) = await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri);
        var (replay, body) = await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri);

        AssertError(replay, body, "invalid_grant");
        var (refresh, refreshBody) = await client.RefreshAsync(first!["refresh_token"]!.GetValue<string>());
        AssertError(refresh, refreshBody, "invalid_grant");
        var validation = await app.ValidateAsync(first["access_token"]!.GetValue<string>(), code.Requests.McpResource);
        Assert.False(validation.IsValid);
    }

    [Fact]
    public async Task An_expired_code_is_invalid_grant()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var tenant = await TestTenant.CreateAsync(app);
        var code = await OAuthFlow.CodeAsync(app, tenant);
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var (response, body) = await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri);
        AssertError(response, body, "invalid_grant");
    }

    [Fact]
    public async Task A_code_issued_to_another_client_is_invalid_grant()
    {
        var (app, tenant, code, _) = await ArrangeAsync();
        var other = await app.Services.GetRequiredService<Fractal.Functions.Consumers.ConsumerStore>().CreateAsync(tenant.Id,
            new Fractal.Functions.Consumers.ConsumerDraft("Other", "", "confidential", [TestTenant.ClientCallback], null, null, null, "viewer"));
        var (response, body) = await new TokenClient(app, other.Consumer.ClientId, other.Secret).ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri);
        AssertError(response, body, "invalid_grant");
    }

    [Fact]
    public async Task A_code_redeemed_with_another_redirect_uri_is_invalid_grant_and_can_be_retried()
    {
        var (_, _, code, client) = await ArrangeAsync();
        var (response, body) = await client.ExchangeAsync(code.Code, code.Requests.Verifier, TestTenant.ChatGptCallback);
        AssertError(response, body, "invalid_grant");
        Assert.Equal(HttpStatusCode.OK, (await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri)).Response.StatusCode);
    }

    [Fact]
    public async Task A_code_redeemed_without_the_redirect_uri_it_was_requested_with_is_invalid_grant()
    {
        var (_, _, code, client) = await ArrangeAsync();
        var (response, body) = await client.ExchangeAsync(code.Code, code.Requests.Verifier, redirectUri: null!);
        AssertError(response, body, "invalid_grant");
    }

    [Fact]
    public async Task A_code_redeemed_for_another_resource_is_invalid_target_and_can_be_retried()
    {
        var (_, _, code, client) = await ArrangeAsync();
        var (response, body) = await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri, resource: code.Requests.ApiResource);
        AssertError(response, body, "invalid_target");
        Assert.Equal(HttpStatusCode.OK, (await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri, resource: code.Requests.McpResource)).Response.StatusCode);
    }

    [Fact]
    public async Task A_code_redeemed_with_another_verifier_is_invalid_grant_and_can_be_retried()
    {
        var (_, _, code, client) = await ArrangeAsync();
        var (response, body) = await client.ExchangeAsync(code.Code, new OAuthRequests(await TestApp.Shared).Verifier, code.RedirectUri);
        AssertError(response, body, "invalid_grant");
        Assert.Equal(HttpStatusCode.OK, (await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri)).Response.StatusCode);
    }

    [Fact]
    public async Task A_code_without_a_verifier_is_invalid_request()
    {
        var (_, _, code, client) = await ArrangeAsync();
        var (response, body) = await client.PostAsync("/oauth/token", new Dictionary<string, string?>
        {
            ["grant_type"] = "authorization_code", ["code"] = code.Code, ["redirect_uri"] = code.RedirectUri,
        });
        AssertError(response, body, "invalid_request");
    }

    [Fact]
    public async Task A_grant_without_offline_access_gets_no_refresh_token()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var body = await OAuthFlow.TokensAsync(app, tenant, adjust: p => p["scope"] = "maintenance.read");
        Assert.Null(body["refresh_token"]);
        Assert.Equal("maintenance.read", body["scope"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_disabled_user_cannot_exchange_a_code()
    {
        var (app, tenant, code, client) = await ArrangeAsync();
        await app.DisableUserAsync(tenant.Id, tenant.Viewer.UserId);
        var (response, body) = await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri);
        AssertError(response, body, "invalid_grant");
    }

    [Theory]
    [InlineData("password", "unsupported_grant_type")]
    [InlineData("client_credentials", "unsupported_grant_type")]
    [InlineData(null, "invalid_request")]
    public async Task Other_or_missing_grant_types_are_refused(string? grantType, string error)
    {
        var (_, _, _, client) = await ArrangeAsync();
        var (response, body) = await client.PostAsync("/oauth/token", new Dictionary<string, string?> { ["grant_type"] = grantType });
        AssertError(response, body, error);
    }

    [Fact]
    public async Task A_json_body_is_invalid_request_not_a_server_error()
    {
        var app = await TestApp.Shared;
        using var response = await app.Http.PostAsync("/oauth/token", new StringContent("{\"grant_type\":\"authorization_code\"}", System.Text.Encoding.UTF8, "application/json"));
        AssertError(response, System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync()), "invalid_request");
    }

    [Fact]
    public async Task A_get_is_answered_405_in_json()
    {
        var app = await TestApp.Shared;
        using var response = await app.Http.GetAsync("/oauth/token?grant_type=authorization_code");
        AssertError(response, System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync()), "invalid_request", HttpStatusCode.MethodNotAllowed);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task A_repeated_parameter_is_invalid_request()
    {
        var app = await TestApp.Shared;
        using var response = await app.Http.PostAsync("/oauth/token", new StringContent("grant_type=refresh_token&grant_type=authorization_code", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        AssertError(response, System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync()), "invalid_request");
    }

    [Fact]
    public async Task A_request_without_client_authentication_is_invalid_client()
    {
        var app = await TestApp.Shared;
        using var response = await app.Http.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "x" }));
        AssertError(response, System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync()), "invalid_client", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_token_endpoint_answers_cors_preflight_for_browser_clients()
    {
        var app = await TestApp.Shared;
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/oauth/token");
        preflight.Headers.Add("Origin", "http://localhost:6274");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await app.Http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task The_code_row_is_marked_redeemed_with_its_family_after_the_exchange()
    {
        var (app, _, code, client) = await ArrangeAsync();
        await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri);
        var row = await app.Services.GetRequiredService<GrantStore>().FindCodeAsync(code.Code);
        Assert.NotNull(row!.RedeemedAt);
        Assert.NotNull(row.FamilyId);
    }
}
