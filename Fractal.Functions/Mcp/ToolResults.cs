using System.Text.Json;
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

    public static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };

    /// <summary>A domain error (unknown record, illegal transition, conflict) as a tool error the model can act on.</summary>
    public static CallToolResult From(DomainError error) => Error(error.Message);
}
