using System.Diagnostics;
using OpenTelemetry;

namespace Fractal.Functions.Hosting.Telemetry;

/// <summary>
/// Keeps personal data and free text out of exported spans (docs/observability.md: ids only), before any exporter
/// sees them:
/// <list type="bullet">
/// <item>the Azure SDK's storage and Key Vault spans carry the request URL; table row keys (in <c>Table(PartitionKey=…,RowKey=…)</c>)
/// and query strings (<c>$filter</c> ranges) may hold key material derived from people, so the URL keeps only scheme, host
/// and the path with every key part cut (<c>…/SignInThrottle</c>);</item>
/// <item>the MCP SDK marks a failed tool call with the tool's error text as the span's status description, and a
/// tool error may echo the caller's arguments: the span keeps its error status and <c>error.type</c>, not the text.</item>
/// </list>
/// </summary>
internal sealed class SpanRedaction : BaseProcessor<Activity>
{
    private static readonly string[] UrlTags = ["url.full", "http.url"];

    public override void OnEnd(Activity activity)
    {
        if (activity.Source.Name.StartsWith("Azure.", StringComparison.Ordinal))
        {
            foreach (var tag in UrlTags)
                if (activity.GetTagItem(tag) is string url) activity.SetTag(tag, WithoutKeys(url));
        }
        if (activity.Status == ActivityStatusCode.Error && activity.StatusDescription is not null && activity.Source.Name == FractalTelemetry.McpSdkName)
            activity.SetStatus(ActivityStatusCode.Error);
    }

    /// <summary><c>https://host/account/Table(PartitionKey='…',RowKey='…')?$filter=…</c> → <c>https://host/account/Table</c>.</summary>
    internal static string WithoutKeys(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "";
        var path = string.Join('/', uri.AbsolutePath.Split('/').Select(segment => segment.Split('(')[0]));
        return $"{uri.Scheme}://{uri.Authority}{path}";
    }
}
