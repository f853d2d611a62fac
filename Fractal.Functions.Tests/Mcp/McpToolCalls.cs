using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>Small helpers for calling tools in tests.</summary>
internal static class McpToolCalls
{
    public static ValueTask<CallToolResult> CallAsync(this McpClient client, string tool, params (string Name, object? Value)[] arguments) =>
        client.CallToolAsync(tool, arguments.ToDictionary(a => a.Name, a => a.Value));

    /// <summary>The structured content of a successful call (fails the test on a tool error).</summary>
    public static JsonElement Ok(this CallToolResult result)
    {
        Assert.True(result.IsError != true, "Tool error: " + Text(result));
        return result.StructuredContent!.Value;
    }

    public static string Text(this CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    /// <summary>Everything a call returned, as one string (text and structured content).</summary>
    public static string Everything(this CallToolResult result) =>
        Text(result) + "\n" + (result.StructuredContent?.GetRawText() ?? "");

    public static IEnumerable<string> Strings(this JsonElement items, string property) =>
        items.EnumerateArray().Select(i => i.GetProperty(property).GetString()!);
}
