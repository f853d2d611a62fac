using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Mcp.Apps;

/// <summary>
/// JSON-RPC over plain HTTP, to see the wire shape itself (an object versus a string in <c>_meta</c>), which the
/// typed client would hide.
/// </summary>
internal static class RawMcp
{
    public static async Task<JsonNode> ResultAsync(McpPlant plant, string token, string method, JsonObject? parameters = null, string version = "2025-06-18")
    {
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method };
        if (parameters is not null) body["params"] = parameters;
        using var request = new HttpRequestMessage(HttpMethod.Post, plant.McpUrl) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (method != "initialize") request.Headers.Add("MCP-Protocol-Version", version);
        using var response = await plant.App.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        var data = text.Split('\n').FirstOrDefault(l => l.StartsWith("data:", StringComparison.Ordinal))?[5..] ?? text;
        var message = JsonNode.Parse(data)!;
        Assert.True(message["error"] is null, "JSON-RPC error: " + message["error"]?.ToJsonString());
        return message["result"]!;
    }
}
