using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>The 2026-07-28 revision (no initialize handshake: per-request metadata and the Mcp-Method header), and role changes reaching tools/list.</summary>
public sealed class ProtocolRevisionTests
{
    private const string Meta =
        "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{},\"io.modelcontextprotocol/clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}";

    private static async Task<(HttpStatusCode Status, JsonNode? Message)> PostAsync(McpPlant plant, string token, string method, bool withMeta = true)
    {
        var body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\",\"params\":{" + (withMeta ? Meta : "") + "}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, plant.McpUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2026-07-28");
        request.Headers.Add("Mcp-Method", method);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await plant.App.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var data = text.Split('\n').FirstOrDefault(l => l.StartsWith("data:", StringComparison.Ordinal))?[5..] ?? text;
        return (response.StatusCode, data.Length == 0 ? null : JsonNode.Parse(data));
    }

    [Fact]
    public async Task The_2026_07_28_revision_discovers_the_server_and_lists_tools_with_per_request_metadata()
    {
        var plant = await McpPlant.GetAsync();
        var token = await plant.TokenAsync(plant.A, plant.A.Viewer);
        var (discoverStatus, discover) = await PostAsync(plant, token, "server/discover");
        Assert.Equal(HttpStatusCode.OK, discoverStatus);
        Assert.NotNull(discover!["result"]);
        var (listStatus, list) = await PostAsync(plant, token, "tools/list");
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Contains(list!["result"]!["tools"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "get_work_order");
    }

    [Fact]
    public async Task A_2026_07_28_request_without_its_metadata_is_refused_as_invalid_params()
    {
        var plant = await McpPlant.GetAsync();
        var (status, message) = await PostAsync(plant, await plant.TokenAsync(plant.A, plant.A.Viewer), "tools/list", withMeta: false);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(-32602, message!["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_role_change_shows_in_tools_list_for_an_existing_token()
    {
        var plant = await McpPlant.GetAsync();
        var tenant = await TestTenant.CreateAsync(plant.App);
        var token = await plant.TokenAsync(tenant, tenant.Technician);
        await using (var before = await plant.ClientAsync(token))
            Assert.Contains(await before.ListToolsAsync(), t => t.Name == "complete_task");

        var users = plant.App.Services.GetRequiredService<UserStore>();
        var user = (await users.FindAsync(tenant.Id, tenant.Technician.UserId))!;
        user.RoleId = "viewer";
        Assert.True((await users.TryUpdateAsync(user)).Succeeded);

        // The test app's status cache bound is 0 s; in production the change shows within OAuth:StatusCacheSeconds.
        await using var after = await plant.ClientAsync(token);
        Assert.DoesNotContain(await after.ListToolsAsync(), t => t.Name == "complete_task");
    }

    [Fact]
    public async Task A_tenant_with_mcp_access_off_gets_403_with_a_clear_message()
    {
        var plant = await McpPlant.GetAsync();
        var tenant = await TestTenant.CreateAsync(plant.App);
        var token = await plant.TokenAsync(tenant, tenant.Viewer);
        var tenants = plant.App.Services.GetRequiredService<Fractal.Functions.Identity.Tenants.TenantStore>();
        var profile = (await tenants.FindAsync(tenant.Id))!;
        profile.McpEnabled = false;
        Assert.True((await tenants.TryUpdateAsync(profile)).Succeeded);

        using var request = new HttpRequestMessage(HttpMethod.Post, plant.McpUrl)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await plant.App.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("MCP access is turned off", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_method_is_the_json_rpc_method_not_found_error()
    {
        var plant = await McpPlant.GetAsync();
        var token = await plant.TokenAsync(plant.A, plant.A.Viewer);
        using var request = new HttpRequestMessage(HttpMethod.Post, plant.McpUrl)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":9,"method":"tools/teleport","params":{}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await plant.App.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("-32601", text);
    }
}
