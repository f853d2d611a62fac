namespace Fractal.Functions.Hosting.Options;

/// <summary>The MCP endpoint's transport (<c>Mcp/McpFunction</c>). Section <c>Mcp</c>.</summary>
public sealed class McpOptions
{
    public const string Section = "Mcp";

    /// <summary>
    /// <c>Mcp:AllowedOrigins</c>: space-separated origins (<c>https://host[:port]</c>) whose browser pages may call the MCP
    /// endpoint besides the app's own public origin and the in-chat views' origin (<see cref="McpAppsOptions.WidgetDomain"/>).
    /// Empty by default: ChatGPT and Claude call from their servers and send no <c>Origin</c>; a browser-based MCP client
    /// on another origin must be listed here (<c>Mcp/McpOriginPolicy</c>).
    /// </summary>
    public string? AllowedOrigins { get; set; }

    public IReadOnlyList<string> AllowedOriginList => (AllowedOrigins ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
