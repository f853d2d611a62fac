using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Reliability;

public sealed class McpOutageTests
{
    [Fact]
    public async Task A_tool_call_that_loses_storage_after_authentication_is_a_temporarily_unavailable_json_rpc_error_and_works_again_when_storage_returns()
    {
        await using var azurite = await Azurite.StartAsync();
        await using var cable = StorageCable.Connect(azurite);
        await using var vault = await FakeKeyVault.StartAsync();
        // The production status cache: authentication then needs no storage for a minute, so the outage hits inside the tool.
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["OAuth:StatusCacheSeconds"] = "60", ["Storage:ConnectionString"] = cable.ConnectionString }, azurite: azurite, vault: vault);
        var tenant = await TestTenant.CreateAsync(app);
        var token = (await OAuthFlow.TokensAsync(app, tenant, tenant.Admin))["access_token"]!.GetValue<string>();
        using (var warm = await CallAsync(app, token)) Assert.Equal(HttpStatusCode.OK, warm.StatusCode);

        cable.Cut();
        using var down = await CallAsync(app, token);
        var body = await down.Content.ReadAsStringAsync();

        // The SDK has already begun its event stream (200) when a tool runs, so the outage is told in JSON-RPC alone.
        Assert.Equal(HttpStatusCode.OK, down.StatusCode);
        Assert.Contains("\"code\":-32001", body);
        Assert.Contains("\"id\":7", body);

        cable.Reconnect();
        using var up = await CallAsync(app, token);
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        Assert.DoesNotContain("\"error\"", await up.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> CallAsync(TestApp app, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp/oauth/fractal-one")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"list_work_orders","arguments":{}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        return app.Http.SendAsync(request);
    }
}
