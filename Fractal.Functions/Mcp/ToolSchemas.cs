using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fractal.Functions.Mcp;

/// <summary>
/// Output schemas as tools/list publishes them: generated with <see cref="ToolResults.Json"/> (so names and
/// enum values are those of the structured content), then trimmed. Every tool definition costs the model
/// context on every turn (connector-compat.md), and the whole list must stay under 24 KB:
/// <list type="bullet">
/// <item>no <c>required</c>, <c>default</c>, <c>format</c> or <c>enum</c>: absent values are simply left out,
/// and the allowed values are in the input schemas' descriptions;</item>
/// <item><c>["string","null"]</c> becomes <c>"string"</c>: results never carry nulls (they are omitted);</item>
/// <item>objects nested deeper than <see cref="MaxDepth"/> (a list's items, a record's header) keep only their
/// type: the structured content itself shows their fields, and the text summary names the ids.</item>
/// </list>
/// Input schemas keep everything that means something; only <c>"default": null</c> and the <c>"null"</c> of an
/// optional parameter's type go (leaving a parameter out already means null).
/// The trimmed schema is looser than the generated one, so every result still conforms to it.
/// </summary>
public static class ToolSchemas
{
    private const int MaxDepth = 1;
    private static readonly string[] Dropped = ["required", "default", "format", "enum", "$schema", "description"];

    public static JsonElement Compact(JsonElement schema)
    {
        var node = JsonNode.Parse(schema.GetRawText())!;
        Trim(node, 1);
        return JsonSerializer.SerializeToElement(node);
    }

    public static JsonElement CompactInput(JsonElement schema)
    {
        var node = JsonNode.Parse(schema.GetRawText())!;
        if (node["properties"] is JsonObject properties)
        {
            foreach (var (_, property) in properties)
            {
                if (property is not JsonObject p) continue;
                if (p.TryGetPropertyValue("default", out var value) && value is null) p.Remove("default");
                NonNull(p);
            }
        }
        return JsonSerializer.SerializeToElement(node);
    }

    private static void NonNull(JsonObject obj)
    {
        if (obj["type"] is not JsonArray types) return;
        var nonNull = types.Select(t => t?.GetValue<string>()).Where(t => t is not null and not "null").ToList();
        if (nonNull.Count == 1) obj["type"] = nonNull[0];
    }

    /// <param name="depth">How many object schemas enclose this one, itself included (the root is 1).</param>
    private static void Trim(JsonNode? node, int depth)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in Dropped) obj.Remove(key);
                NonNull(obj);
                if (obj["properties"] is JsonObject properties)
                {
                    if (depth > MaxDepth)
                    {
                        obj.Remove("properties");
                        obj.Remove("additionalProperties");
                        break;
                    }
                    foreach (var (_, child) in properties.ToList()) Trim(child, depth + 1);
                }
                foreach (var (key, child) in obj.ToList())
                {
                    if (key != "properties") Trim(child, depth);
                }
                break;
            case JsonArray array:
                foreach (var child in array) Trim(child, depth);
                break;
        }
    }
}
