using System.Text.Json.Nodes;
using Fractal.Functions.Mcp.Tools;

namespace Fractal.Functions.Mcp.Apps;

/// <summary>
/// Which tool's results a view draws, as the tool's <c>_meta</c> in tools/list: <c>ui.resourceUri</c> (MCP Apps) and
/// <c>openai/outputTemplate</c> (ChatGPT's older key). Built as JSON objects on purpose: the SDK's metadata
/// attribute built from a plain string sends a JSON string, which hosts ignore.
/// App-only tools (the card's buttons) are hidden from the model by the host: <c>ui.visibility: ["app"]</c> and
/// ChatGPT's <c>openai/visibility: "private"</c>; tools/call still enforces the caller's permissions.
/// They stay in tools/list for every client: MCP Apps 2026-01-26 ("Visibility") puts the hiding on the host ("Host MUST
/// NOT include tools in the agent's tool list when their visibility does not include "model""), and only lets a server
/// vary its tools by the client's capabilities (a MAY), which a stateless server does not see on tools/list. For a
/// client that is no Apps host, the tool's description sends the model to the tools it should use instead.
/// </summary>
public static class ToolViewLinks
{
    private static readonly Dictionary<string, (string Uri, bool AppOnly)> Links = new(StringComparer.Ordinal)
    {
        ["get_kpis"] = (AppViews.KpiDashboardUri, false),
        ["rank_bad_actors"] = (AppViews.KpiDashboardUri, false),
        ["get_work_order"] = (AppViews.WorkOrderCardUri, false),
        [WorkOrderCardTools.Transition] = (AppViews.WorkOrderCardUri, true),
    };

    public static IReadOnlyCollection<string> LinkedTools => Links.Keys;

    public static bool IsAppOnly(string tool) => Links.TryGetValue(tool, out var link) && link.AppOnly;

    /// <summary>The tool's <c>_meta</c>, or null for a tool no view draws.</summary>
    public static JsonObject? MetaFor(string tool)
    {
        if (!Links.TryGetValue(tool, out var link)) return null;
        var ui = new JsonObject { ["resourceUri"] = link.Uri };
        var meta = new JsonObject { ["ui"] = ui, ["openai/outputTemplate"] = link.Uri };
        if (link.AppOnly)
        {
            ui["visibility"] = new JsonArray("app");
            meta["openai/visibility"] = "private";
            meta["openai/widgetAccessible"] = true;
        }
        return meta;
    }
}
