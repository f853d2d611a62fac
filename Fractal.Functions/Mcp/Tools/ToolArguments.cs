using ModelContextProtocol;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>Parsing of tool arguments: a malformed argument is a JSON-RPC invalid-params error, not a tool error.</summary>
public static class ToolArguments
{
    public static McpProtocolException Invalid(string message) => new(message, McpErrorCode.InvalidParams);

    /// <summary>
    /// The first property the tool's input schema requires that the call leaves out (or sends as null), else null.
    /// Checked before the tool runs: left to the SDK's marshaller, a missing argument is an unhandled exception,
    /// logged as a server failure and answered with a vague tool error instead of invalid params naming it.
    /// </summary>
    public static string? MissingRequired(System.Text.Json.JsonElement inputSchema, IDictionary<string, System.Text.Json.JsonElement>? arguments)
    {
        if (inputSchema.ValueKind != System.Text.Json.JsonValueKind.Object
            || !inputSchema.TryGetProperty("required", out var required) || required.ValueKind != System.Text.Json.JsonValueKind.Array) return null;
        foreach (var name in required.EnumerateArray())
        {
            var key = name.GetString();
            if (key is null) continue;
            if (arguments is null || !arguments.TryGetValue(key, out var value) || value.ValueKind is System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined)
                return key;
        }
        return null;
    }

    /// <summary>
    /// A snake_case enum value ("in_process") of <typeparamref name="T"/>, or null when absent: the one parser of
    /// enum arguments, for tools and for the permission rules that depend on an argument (<see cref="ToolPermissions"/>),
    /// so no spelling can reach a check as one value and the tool as another. A value is a member's name in ASCII
    /// letters, matched ignoring case and underscores ("in_process", "IN_PROCESS", "InProcess"); nothing else is:
    /// not numbers, not comma lists (<see cref="System.Enum.TryParse{TEnum}(string?, bool, out TEnum)"/> combines those
    /// into another member), not spaces or other letters that case-fold to ASCII.
    /// </summary>
    public static T? Enum<T>(string? value, string name) where T : struct, System.Enum
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (value.All(c => char.IsAsciiLetter(c) || c == '_'))
        {
            var compact = value.Replace("_", "", StringComparison.Ordinal);
            foreach (var member in System.Enum.GetValues<T>())
                if (string.Equals(member.ToString(), compact, StringComparison.OrdinalIgnoreCase)) return member;
        }
        var allowed = string.Join(", ", System.Enum.GetNames<T>().Select(n => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(n)));
        throw Invalid($"{name} must be one of: {allowed}.");
    }

    public static int PageSize(int? value, int fallback = 25) =>
        value is null ? fallback : value is >= 1 and <= 100 ? value.Value : throw Invalid("page_size must be between 1 and 100.");

    public static string Text(string? value, string name, int max = 200) =>
        string.IsNullOrWhiteSpace(value) ? throw Invalid($"{name} is required.")
        : value.Length > max ? throw Invalid($"{name} must be at most {max} characters.") : value.Trim();
}
