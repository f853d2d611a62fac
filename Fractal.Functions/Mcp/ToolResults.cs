using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Fractal.Functions.Maintenance.Domain;
using ModelContextProtocol.Protocol;

namespace Fractal.Functions.Mcp;

/// <summary>How tools answer: structured content the model can reuse plus a short text for hosts without it; errors as tool errors.</summary>
public static class ToolResults
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static CallToolResult Ok<T>(T value, string summary) => new()
    {
        Content = [new TextContentBlock { Text = summary }],
        StructuredContent = JsonSerializer.SerializeToElement(value, Json),
    };

    /// <summary>
    /// A result with data for the view that draws it (MCP Apps): the host passes <c>_meta</c> to the view only, so
    /// chart series and timelines stay out of the model's context.
    /// </summary>
    public static CallToolResult Ok<T>(T value, string summary, string viewKey, object viewData)
    {
        var result = Ok(value, summary);
        result.Meta = new JsonObject { [viewKey] = JsonSerializer.SerializeToNode(viewData, viewData.GetType(), Json) };
        return result;
    }

    public static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };

    /// <summary>A domain error (unknown record, illegal transition, conflict) as a tool error the model can act on.</summary>
    public static CallToolResult From(DomainError error) => Error(error.Message);
}
