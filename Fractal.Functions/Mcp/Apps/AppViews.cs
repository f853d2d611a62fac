using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Fractal.Functions.Mcp.Apps;

/// <summary>One in-chat view: a <c>ui://</c> resource holding a self-contained HTML document.</summary>
public sealed record AppView(string Uri, string Name, string Title, string Description, string Html);

/// <summary>
/// The in-chat views (MCP Apps extension <c>io.modelcontextprotocol/ui</c>, 2026-01-26). Each is one HTML5 document
/// with inline CSS, script and SVG and no external asset, so the host's strictest CSP (no connect, no resource
/// domains) is enough. The files in <c>Views/</c> are embedded; <c>/*@include name*/</c> pulls in a shared part
/// (the postMessage bridge, the base style) once at start-up, so the document a host reads is still one file.
/// </summary>
public static partial class AppViews
{
    public const string ExtensionId = "io.modelcontextprotocol/ui";
    public const string ProtocolVersion = "2026-01-26";
    public const string MimeType = "text/html;profile=mcp-app";
    public const string KpiDashboardUri = "ui://fractal/kpi-dashboard.html";
    public const string WorkOrderCardUri = "ui://fractal/work-order-card.html";

    private static readonly Lazy<FrozenDictionary<string, AppView>> Loaded = new(Load);

    public static IReadOnlyCollection<AppView> All => Loaded.Value.Values;

    public static AppView Get(string uri) => Loaded.Value[uri];

    private static FrozenDictionary<string, AppView> Load() => new AppView[]
    {
        new(KpiDashboardUri, "kpi-dashboard", "Maintenance KPI dashboard",
            "KPI tiles with monthly trends (get_kpis) and a bad-actor bar chart (rank_bad_actors).", Document("kpi-dashboard.html")),
        new(WorkOrderCardUri, "work-order-card", "Work order card",
            "A work order's header, status timeline, tasks, costs and the transitions the user may make (get_work_order).", Document("work-order-card.html")),
    }.ToFrozenDictionary(v => v.Uri, StringComparer.Ordinal);

    private static string Document(string file) =>
        IncludePattern().Replace(Read(file), m => Read(m.Groups[1].Value));

    private static string Read(string file)
    {
        using var stream = typeof(AppViews).Assembly.GetManifestResourceStream("Fractal.Views." + file)
            ?? throw new InvalidOperationException($"The view part {file} is not embedded (Mcp/Apps/Views).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"/\*@include ([a-z\-]+\.(?:js|css))\*/")]
    private static partial Regex IncludePattern();
}
