namespace Fractal.Functions.Hosting.Options;

/// <summary>The in-chat views (MCP Apps, <c>Mcp/Apps/</c>). Section <c>McpApps</c>.</summary>
public sealed class McpAppsOptions
{
    public const string Section = "McpApps";

    /// <summary>
    /// <c>McpApps:WidgetDomain</c>: the origin ChatGPT gives the views' sandbox (<c>openai/widgetDomain</c>, asked for
    /// when an app is submitted), e.g. <c>https://fractal.example</c>. Empty: the origin of the public base URL.
    /// The MCP Apps <c>ui.domain</c> is never set: Claude accepts only its own hash form there.
    /// </summary>
    public string? WidgetDomain { get; set; }
}
