using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Mcp;

/// <summary>
/// Tells whether an MCP POST body is a <c>tools/call</c> (alone or in a batch) before the SDK reads it, so the
/// per-grant limit can answer 429 while the status can still be set. The body is read once into memory, within
/// <see cref="McpBodyLimit"/>, and handed back to the SDK as a seekable stream; the check scans it with a
/// forward-only <see cref="Utf8JsonReader"/> (no document is built): every POST pays for it, including tools/list
/// and initialize (issue 13 measured a buffered <see cref="JsonDocument"/> parse here at ~7 points of their throughput).
/// </summary>
public static class ToolCallPeek
{
    private static ReadOnlySpan<byte> Method => "method"u8;
    private static ReadOnlySpan<byte> ToolsCall => "tools/call"u8;

    /// <summary>Whether the body is a tool call; null when it is larger than <see cref="McpBodyLimit.MaxBytes"/> (not read further).</summary>
    public static async Task<bool?> IsToolCallAsync(HttpRequest request) =>
        await McpBodyLimit.ReadAsync(request) is { } body ? IsToolCall(body.GetBuffer().AsSpan(0, (int)body.Length)) : null;

    /// <summary>True when the JSON is a request object whose method is tools/call, or an array holding one.</summary>
    internal static bool IsToolCall(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read()) return false;
            if (reader.TokenType == JsonTokenType.StartObject) return ObjectCallsTool(ref reader);
            if (reader.TokenType != JsonTokenType.StartArray) return false;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    if (ObjectCallsTool(ref reader)) return true;
                }
                else reader.Skip();
            }
            return false;
        }
        catch (JsonException)
        {
            return false; // the SDK answers a body it cannot read with its own JSON-RPC error
        }
    }

    /// <summary>Reads one object (the reader on its StartObject) to its end; true when its "method" is "tools/call".</summary>
    private static bool ObjectCallsTool(ref Utf8JsonReader reader)
    {
        var callsTool = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMethod = reader.ValueTextEquals(Method);
            reader.Read();
            if (isMethod && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(ToolsCall)) callsTool = true;
            reader.Skip(); // a nested object or array (params) is passed over whole
        }
        return callsTool;
    }
}
