using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Fractal.Functions.Mcp;
using Fractal.Functions.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>The MCP endpoint's HTTP and authorization behaviour (MCP authorization spec, RFC 6750, RFC 9728).</summary>
public sealed class McpEndpointTests
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    private static HttpRequestMessage Post(McpPlant plant, string body, string? token, string accept = "application/json, text/event-stream")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, plant.McpUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    [Fact]
    public async Task A_call_without_a_token_is_401_pointing_at_the_protected_resource_metadata()
    {
        var plant = await McpPlant.GetAsync();
        using var response = await plant.App.Http.SendAsync(Post(plant, Initialize, null));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.Single().ToString();
        Assert.Contains($"resource_metadata=\"{plant.App.Issuer()}/.well-known/oauth-protected-resource/mcp/oauth/fractal-one\"", challenge);
        Assert.Contains("scope=\"maintenance.read maintenance.write\"", challenge);
        Assert.DoesNotContain("invalid_token", challenge);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJ4In0.")]
    public async Task A_malformed_or_unsigned_token_is_401_invalid_token(string token)
    {
        var plant = await McpPlant.GetAsync();
        using var response = await plant.App.Http.SendAsync(Post(plant, Initialize, token));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task An_admin_api_token_is_refused_as_invalid_token()
    {
        var plant = await McpPlant.GetAsync();
        var requests = new OAuthRequests(plant.App);
        var apiToken = (await OAuthFlow.TokensAsync(plant.App, plant.A, plant.A.Admin, p => { p["resource"] = requests.ApiResource; p["scope"] = "api_connections"; }))["access_token"]!.GetValue<string>();
        using var response = await plant.App.Http.SendAsync(Post(plant, Initialize, apiToken));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_without_a_maintenance_scope_is_403_insufficient_scope()
    {
        var plant = await McpPlant.GetAsync();
        var token = await plant.TokenAsync(plant.A, plant.A.Viewer, "offline_access");
        using var response = await plant.App.Http.SendAsync(Post(plant, Initialize, token));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task A_token_in_the_query_string_is_ignored()
    {
        var plant = await McpPlant.GetAsync();
        var token = await plant.TokenAsync(plant.A, plant.A.Viewer);
        var request = Post(plant, Initialize, null);
        request.RequestUri = new Uri(plant.McpUrl + "?access_token=" + token);
        using var response = await plant.App.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task Get_and_delete_answer_405_allowing_post(string method)
    {
        var plant = await McpPlant.GetAsync();
        using var response = await plant.App.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), plant.McpUrl));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task A_request_that_does_not_accept_event_streams_is_406()
    {
        var plant = await McpPlant.GetAsync();
        var token = await plant.TokenAsync(plant.A, plant.A.Viewer);
        using var response = await plant.App.Http.SendAsync(Post(plant, Initialize, token, accept: "application/json"));
        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    public async Task A_body_that_is_not_a_json_rpc_message_is_400_not_500(string body)
    {
        var plant = await McpPlant.GetAsync();
        var token = await plant.TokenAsync(plant.A, plant.A.Viewer);
        using var response = await plant.App.Http.SendAsync(Post(plant, body, token));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>A tools/list padded past the 1 MB cap (issue 24: a 25 MB one was read whole, after authentication).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_one_megabyte_is_413_with_a_json_rpc_error_whether_its_length_is_declared_or_chunked(bool chunked)
    {
        var plant = await McpPlant.GetAsync();
        var token = await plant.TokenAsync(plant.A, plant.A.Viewer);
        var padding = new string('x', McpBodyLimit.MaxBytes);
        using var request = Post(plant, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{\"padding\":\"" + padding + "\"}}", token);
        request.Headers.TransferEncodingChunked = chunked;
        using var response = await plant.App.Http.SendAsync(request);
        Assert.Equal(chunked, request.Content!.Headers.ContentLength is null);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(-32600, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_body_just_under_the_cap_is_served()
    {
        var plant = await McpPlant.GetAsync();
        var token = await plant.TokenAsync(plant.A, plant.A.Viewer);
        var padding = new string('x', McpBodyLimit.MaxBytes - 200);
        using var request = Post(plant, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{\"_meta\":{\"padding\":\"" + padding + "\"}}}", token);
        request.Headers.TransferEncodingChunked = true;
        using var response = await plant.App.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>MCP Streamable HTTP, Security Warning: the Origin header is validated against DNS rebinding (403 when invalid).</summary>
    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://evil.example.com")]
    [InlineData("null")]
    [InlineData("http://127.0.0.1")]
    public async Task A_request_whose_origin_is_not_the_apps_is_403_with_a_json_rpc_error(string origin)
    {
        var plant = await McpPlant.GetAsync();
        var token = await plant.TokenAsync(plant.A, plant.A.Viewer);
        using var request = Post(plant, Initialize, token);
        request.Headers.TryAddWithoutValidation("Origin", origin);
        using var response = await plant.App.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]);
    }

    [Fact]
    public async Task Requests_without_an_origin_and_from_the_apps_own_origin_are_served()
    {
        var plant = await McpPlant.GetAsync();
        var token = await plant.TokenAsync(plant.A, plant.A.Viewer);
        using var server = Post(plant, Initialize, token);
        using var page = Post(plant, Initialize, token);
        page.Headers.TryAddWithoutValidation("Origin", new Uri(plant.App.Issuer()).GetLeftPart(UriPartial.Authority));
        using var fromServer = await plant.App.Http.SendAsync(server);
        using var fromPage = await plant.App.Http.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, fromServer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromPage.StatusCode);
    }

    [Fact]
    public async Task An_unknown_protocol_version_header_is_400()
    {
        var plant = await McpPlant.GetAsync();
        var token = await plant.TokenAsync(plant.A, plant.A.Viewer);
        var request = Post(plant, """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""", token);
        request.Headers.Add("MCP-Protocol-Version", "1999-01-01");
        using var response = await plant.App.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_session_id_header_is_refused_by_the_stateless_server()
    {
        var plant = await McpPlant.GetAsync();
        var token = await plant.TokenAsync(plant.A, plant.A.Viewer);
        var request = Post(plant, """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""", token);
        request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        request.Headers.Add("Mcp-Session-Id", "abc");
        using var response = await plant.App.Http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{(int)response.StatusCode}");
    }

    [Theory]
    [InlineData("2024-11-05")]
    [InlineData("2025-03-26")]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    public async Task Initialize_works_for_every_handshake_protocol_version(string version)
    {
        var plant = await McpPlant.GetAsync();
        var token = await plant.TokenAsync(plant.A, plant.A.Viewer);
        var body = Initialize.Replace("2025-06-18", version);
        using var response = await plant.App.Http.SendAsync(Post(plant, body, token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var data = text.Split('\n').First(l => l.StartsWith("data:", StringComparison.Ordinal))[5..];
        Assert.Equal(version, JsonNode.Parse(data)!["result"]!["protocolVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_notification_is_accepted_with_202_and_no_body()
    {
        var plant = await McpPlant.GetAsync();
        var token = await plant.TokenAsync(plant.A, plant.A.Viewer);
        var request = Post(plant, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", token);
        request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        using var response = await plant.App.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_official_client_connects_and_lists_tools_with_explicit_annotations()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Admin));
        var tools = await client.ListToolsAsync();
        Assert.Contains(tools, t => t.Name == "get_work_order");
        Assert.All(tools, t =>
        {
            var a = t.ProtocolTool.Annotations!;
            Assert.NotNull(a.ReadOnlyHint);
            Assert.NotNull(a.DestructiveHint);
            Assert.NotNull(a.IdempotentHint);
            Assert.NotNull(a.OpenWorldHint);
            Assert.StartsWith("Use this when", t.Description);
        });
    }
}
