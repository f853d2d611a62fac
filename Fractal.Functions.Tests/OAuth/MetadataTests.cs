using System.Net;
using System.Text.Json.Nodes;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.OAuth;

public sealed class MetadataTests
{
    private static async Task<(TestApp App, string Issuer, JsonNode Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        var app = await TestApp.Shared;
        var response = await app.Http.GetAsync(path);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (app, app.BaseAddress.ToString().TrimEnd('/'), body, response);
    }

    [Theory]
    [InlineData("/.well-known/oauth-authorization-server")]
    [InlineData("/.well-known/openid-configuration")]
    public async Task The_authorization_server_metadata_lists_what_mcp_clients_require(string path)
    {
        var (_, issuer, body, response) = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(issuer, body["issuer"]!.GetValue<string>());
        Assert.Equal(issuer + "/oauth/authorize", body["authorization_endpoint"]!.GetValue<string>());
        Assert.Equal(issuer + "/oauth/token", body["token_endpoint"]!.GetValue<string>());
        Assert.Equal(["S256"], body["code_challenge_methods_supported"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["client_secret_basic", "client_secret_post", "none"], body["token_endpoint_auth_methods_supported"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.True(body["authorization_response_iss_parameter_supported"]!.GetValue<bool>());
        Assert.Contains("offline_access", body["scopes_supported"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["authorization_code", "refresh_token"], body["grant_types_supported"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["code"], body["response_types_supported"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task The_issuer_has_no_trailing_slash_and_equals_the_public_base_url_exactly()
    {
        var (_, issuer, body, _) = await GetAsync("/.well-known/oauth-authorization-server");
        Assert.False(body["issuer"]!.GetValue<string>().EndsWith('/'));
        Assert.Equal(issuer, body["issuer"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/.well-known/oauth-protected-resource/mcp/oauth/fractal-one", "/mcp/oauth/fractal-one", "maintenance.read")]
    [InlineData("/.well-known/oauth-protected-resource", "/mcp/oauth/fractal-one", "maintenance.read")]
    [InlineData("/.well-known/oauth-protected-resource/api/v1", "/api/v1", "api_connections")]
    public async Task Each_protected_resource_has_its_document_naming_our_issuer(string path, string resourcePath, string scope)
    {
        var (_, issuer, body, response) = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(issuer + resourcePath, body["resource"]!.GetValue<string>());
        Assert.Equal([issuer], body["authorization_servers"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["header"], body["bearer_methods_supported"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains(scope, body["scopes_supported"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task An_unknown_protected_resource_path_is_a_json_404()
    {
        var (_, _, body, response) = await GetAsync("/.well-known/oauth-protected-resource/somewhere/else");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_admin_api_scopes_are_published_one_per_kind_of_power_in_both_documents()
    {
        var (_, _, resource, _) = await GetAsync("/.well-known/oauth-protected-resource/api/v1");
        Assert.Equal(["api_connections", "user_administration", "audit_read", "offline_access"],
            resource["scopes_supported"]!.AsArray().Select(v => v!.GetValue<string>()));
        var (_, _, server, _) = await GetAsync("/.well-known/oauth-authorization-server");
        var supported = server["scopes_supported"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.Contains("user_administration", supported);
        Assert.Contains("audit_read", supported);
    }

    [Fact]
    public async Task Metadata_is_readable_cross_origin_and_answers_preflight()
    {
        var app = await TestApp.Shared;
        using var get = new HttpRequestMessage(HttpMethod.Get, "/.well-known/oauth-authorization-server");
        get.Headers.Add("Origin", "http://localhost:6274");
        using var response = await app.Http.SendAsync(get);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/.well-known/oauth-protected-resource/mcp/oauth/fractal-one");
        preflight.Headers.Add("Origin", "http://localhost:6274");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "mcp-protocol-version");
        using var answer = await app.Http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Contains("MCP-Protocol-Version", answer.Headers.GetValues("Access-Control-Allow-Headers").Single());
    }

    [Fact]
    public async Task An_issuer_with_a_path_is_served_at_the_path_inserted_location()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Fractal:PublicBaseUrl"] = "https://fractal.example/tenant-gw" });
        using var inserted = await app.Http.GetAsync("/.well-known/oauth-authorization-server/tenant-gw");
        var body = JsonNode.Parse(await inserted.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, inserted.StatusCode);
        Assert.Equal("https://fractal.example/tenant-gw", body["issuer"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.GetAsync("/.well-known/oauth-authorization-server/other")).StatusCode);
    }
}
