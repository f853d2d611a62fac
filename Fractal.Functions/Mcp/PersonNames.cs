using System.Text.Json;
using System.Text.Json.Nodes;
using Fractal.Functions.Maintenance.Api;
using ModelContextProtocol.Protocol;

namespace Fractal.Functions.Mcp;

/// <summary>
/// Names beside person ids in every tool result: wherever the structured content or a view's <c>_meta</c> holds a
/// person id (<see cref="PersonFields"/>: <c>responsible</c>, <c>userId</c>, <c>createdBy</c>, <c>updatedBy</c>,
/// <c>requester</c>), a sibling carries that person's name (<c>responsibleName</c>, <c>userName</c>, …). One pass in the
/// tools/call filter, so every tool (and every tool added later) answers with names; ids stay as they are, for calls.
/// Costs nothing when a result names nobody, else the tenant's people directory (a per-process copy, see
/// <see cref="IPeopleService.NamesAsync"/>).
/// </summary>
public sealed class PersonNames(IPeopleService people)
{
    /// <summary>Properties holding a person id, and the property their name goes in.</summary>
    private static readonly Dictionary<string, string> PersonFields = new(StringComparer.Ordinal)
    {
        ["responsible"] = "responsibleName", ["userId"] = "userName", ["createdBy"] = "createdByName",
        ["updatedBy"] = "updatedByName", ["requester"] = "requesterName",
    };

    /// <summary>"Name (id)", or the id alone when it names nobody known.</summary>
    public static string Show(IReadOnlyDictionary<string, string> names, string? id) =>
        id is null ? "" : names.TryGetValue(id, out var name) && name != id ? $"{name} ({id})" : id;

    public async Task<CallToolResult> AnnotateAsync(McpCaller caller, CallToolResult result, CancellationToken ct)
    {
        if (result.IsError == true) return result;
        var content = result.StructuredContent is { } element ? JsonNode.Parse(element.GetRawText()) : null;
        var targets = new List<JsonObject>();
        Collect(content, targets);
        Collect(result.Meta, targets);
        if (targets.Count == 0) return result;
        var names = await people.NamesAsync(caller.Tenant, ct);
        foreach (var obj in targets)
        {
            foreach (var (field, nameField) in PersonFields)
            {
                if (obj[field] is JsonValue value && value.TryGetValue<string>(out var id) && names.TryGetValue(id, out var name) && !obj.ContainsKey(nameField))
                    obj[nameField] = name;
            }
        }
        if (content is not null) result.StructuredContent = JsonSerializer.SerializeToElement(content);
        return result;
    }

    /// <summary>Every object (at any depth) holding at least one person field.</summary>
    private static void Collect(JsonNode? node, List<JsonObject> into)
    {
        switch (node)
        {
            case JsonObject obj:
                if (PersonFields.Keys.Any(obj.ContainsKey)) into.Add(obj);
                foreach (var (_, child) in obj) Collect(child, into);
                break;
            case JsonArray array:
                foreach (var item in array) Collect(item, into);
                break;
        }
    }
}
