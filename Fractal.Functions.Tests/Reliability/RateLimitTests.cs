using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Reliability;

/// <summary>Each limit with a low setting on an app of its own, so a handful of requests reaches it.</summary>
public sealed class RateLimitTests
{
    private static Task<TestApp> AppWithAsync(string setting, string value, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["RateLimits:" + setting] = value };
        foreach (var (k, v) in more ?? new Dictionary<string, string?>()) settings[k] = v;
        return TestApp.StartAsync(settings);
    }

    [Fact]
    public async Task The_fourth_sign_in_post_from_one_ip_in_a_minute_is_a_429_page_with_retry_after_when_the_limit_is_three()
    {
        await using var app = await AppWithAsync("SignInPerIpPerMinute", "3");
        var tenant = await TestTenant.CreateAsync(app);
        using var browser = new BrowserlessSession(app);
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await browser.SignInAsync(tenant.Viewer.Email, "wrong-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, allowed.StatusCode);
        }
        using var limited = await browser.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("text/html", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Too many requests", await limited.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sign_in_limits_count_each_forwarded_client_ip_apart_only_through_a_trusted_proxy()
    {
        // Loopback is the trusted proxy here (as under the Functions host): each X-Forwarded-For is a client of its own.
        await using var app = await AppWithAsync("SignInPerIpPerMinute", "2", new Dictionary<string, string?> { ["Network:TrustedProxies"] = "127.0.0.1" });
        var tenant = await TestTenant.CreateAsync(app);
        using var first = new BrowserlessSession(app, forwardedFor: "203.0.113.10");
        using var second = new BrowserlessSession(app, forwardedFor: "203.0.113.20");
        for (var i = 0; i < 2; i++) (await first.SignInAsync(tenant.Viewer.Email, "wrong")).Dispose();

        using var firstLimited = await first.SignInAsync(tenant.Viewer.Email, "wrong");
        using var secondAllowed = await second.SignInAsync(tenant.Viewer.Email, "wrong");

        Assert.Equal(HttpStatusCode.TooManyRequests, firstLimited.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, secondAllowed.StatusCode);
    }

    [Fact]
    public async Task A_forged_x_forwarded_for_does_not_escape_the_sign_in_limit_when_no_proxy_is_trusted()
    {
        await using var app = await AppWithAsync("SignInPerIpPerMinute", "2", new Dictionary<string, string?> { ["Network:TrustedProxies"] = "none" });
        var tenant = await TestTenant.CreateAsync(app);
        for (var i = 0; i < 2; i++)
        {
            using var browser = new BrowserlessSession(app, forwardedFor: $"198.51.100.{i + 1}");
            (await browser.SignInAsync(tenant.Viewer.Email, "wrong")).Dispose();
        }
        using var forged = new BrowserlessSession(app, forwardedFor: "198.51.100.99");
        using var limited = await forged.SignInAsync(tenant.Viewer.Email, "wrong");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }

    [Fact]
    public async Task The_third_authorize_request_from_one_ip_in_a_minute_is_a_429_page_when_the_limit_is_two()
    {
        await using var app = await AppWithAsync("AuthorizePerIpPerMinute", "2");
        var tenant = await TestTenant.CreateAsync(app);
        var url = OAuthRequests.AuthorizeUrl(new OAuthRequests(app).Parameters(tenant.ClientId, TestTenant.ClientCallback));
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await app.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        }
        using var limited = await app.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("text/html", limited.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    [Fact]
    public async Task The_third_token_request_from_one_ip_in_a_minute_is_a_429_oauth_error_with_retry_after_when_the_limit_is_two()
    {
        await using var app = await AppWithAsync("TokenPerIpPerMinute", "2");
        var tenant = await TestTenant.CreateAsync(app);
        var client = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.BadRequest, (await client.RefreshAsync("not-a-token")).Response.StatusCode);

        var (limited, body) = await client.RefreshAsync("not-a-token");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("temporarily_unavailable", body!["error"]!.GetValue<string>());
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.True(limited.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task The_third_revocation_from_one_ip_in_a_minute_is_a_429_oauth_error_with_retry_after_when_the_token_limit_is_two()
    {
        await using var app = await AppWithAsync("TokenPerIpPerMinute", "2");
        var tenant = await TestTenant.CreateAsync(app);
        var client = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await client.RevokeAsync("not-a-token")).Response.StatusCode);

        var (limited, body) = await client.RevokeAsync("not-a-token");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("temporarily_unavailable", body!["error"]!.GetValue<string>());
        Assert.NotNull(limited.Headers.RetryAfter);
        // Its own counter: the token endpoint is not spent by revocations.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.RefreshAsync("not-a-token")).Response.StatusCode);
    }

    [Fact]
    public async Task Token_requests_are_limited_per_authenticated_consumer_while_another_consumer_goes_on()
    {
        await using var app = await AppWithAsync("TokenPerConsumerPerMinute", "2");
        var busy = await TestTenant.CreateAsync(app);
        var other = await TestTenant.CreateAsync(app);
        var busyClient = new TokenClient(app, busy.ClientId, busy.ClientSecret);
        for (var i = 0; i < 2; i++) (await busyClient.RefreshAsync("not-a-token")).Response.Dispose();
        // A wrong secret is refused before counting: nobody can spend a consumer's allowance by naming it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await new TokenClient(app, busy.ClientId, "wrong").RefreshAsync("x")).Response.StatusCode);

        var (limited, body) = await busyClient.RefreshAsync("not-a-token");
        var (otherAnswer, _) = await new TokenClient(app, other.ClientId, other.ClientSecret).RefreshAsync("not-a-token");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("temporarily_unavailable", body!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, otherAnswer.StatusCode);
    }

    [Fact]
    public async Task Tool_calls_are_limited_per_grant_with_a_429_json_rpc_error_while_tools_list_and_other_grants_go_on()
    {
        await using var app = await AppWithAsync("ToolCallsPerGrantPerMinute", "2");
        var tenant = await TestTenant.CreateAsync(app);
        var token = (await OAuthFlow.TokensAsync(app, tenant, tenant.Admin))["access_token"]!.GetValue<string>();
        var otherToken = (await OAuthFlow.TokensAsync(app, tenant, tenant.Supervisor))["access_token"]!.GetValue<string>();
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await PostAsync(app, token, ToolCall)).StatusCode);

        using var limited = await PostAsync(app, token, ToolCall);
        var body = JsonNode.Parse(await limited.Content.ReadAsStringAsync())!;
        using var list = await PostAsync(app, token, """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");
        using var otherGrant = await PostAsync(app, otherToken, ToolCall);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal("2.0", body["jsonrpc"]!.GetValue<string>());
        Assert.Equal(-32029, body["error"]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherGrant.StatusCode);
    }

    private const string ToolCall = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_work_orders","arguments":{}}}""";

    private static Task<HttpResponseMessage> PostAsync(TestApp app, string token, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp/oauth/fractal-one") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        return app.Http.SendAsync(request);
    }
}
