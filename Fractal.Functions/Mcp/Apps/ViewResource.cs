using System.Text.Json.Nodes;
using Fractal.Functions.Hosting.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp.Apps;

/// <summary>
/// Serves one view through resources/list and resources/read. Nothing here depends on a session, so it works
/// with the stateless endpoint: every read answers from the embedded document and the settings.
/// </summary>
public sealed class ViewResource(AppView view) : McpServerResource
{
    public override ResourceTemplate ProtocolResourceTemplate => new()
    {
        UriTemplate = view.Uri, Name = view.Name, Title = view.Title, Description = view.Description, MimeType = AppViews.MimeType,
    };

    public override Resource? ProtocolResource => new()
    {
        Uri = view.Uri, Name = view.Name, Title = view.Title, Description = view.Description, MimeType = AppViews.MimeType,
        Meta = new JsonObject { ["ui"] = UiMeta() },
    };

    public override IReadOnlyList<object> Metadata => [];

    public override bool IsMatch(string uri) => string.Equals(uri, view.Uri, StringComparison.Ordinal);

    public override ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request, CancellationToken cancellationToken = default)
    {
        var services = request.Services ?? throw new InvalidOperationException("resources/read runs with the request's services.");
        var meta = new JsonObject
        {
            ["ui"] = UiMeta(),
            // ChatGPT's own keys, for its Apps SDK: the same (empty) CSP, and the origin it gives the sandbox.
            ["openai/widgetCSP"] = new JsonObject { ["connect_domains"] = new JsonArray(), ["resource_domains"] = new JsonArray() },
            ["openai/widgetDomain"] = WidgetDomain(services),
            ["openai/widgetPrefersBorder"] = true,
            ["openai/widgetDescription"] = view.Description,
        };
        return ValueTask.FromResult(new ReadResourceResult
        {
            Contents = [new TextResourceContents { Uri = view.Uri, MimeType = AppViews.MimeType, Text = view.Html, Meta = meta }],
        });
    }

    /// <summary>
    /// <c>_meta.ui</c> of the resource: no external origin of any kind (the document is self-contained) and a host
    /// border. <c>domain</c> is left out on purpose: its format is host-specific and Claude refuses any value but
    /// its own hash form.
    /// </summary>
    private static JsonObject UiMeta() => new()
    {
        ["csp"] = new JsonObject
        {
            ["connectDomains"] = new JsonArray(),
            ["resourceDomains"] = new JsonArray(),
            ["frameDomains"] = new JsonArray(),
            ["baseUriDomains"] = new JsonArray(),
        },
        ["prefersBorder"] = true,
    };

    /// <summary>
    /// <c>McpApps:WidgetDomain</c>, else the origin of the public base URL (as every published URL is built), from the
    /// request <see cref="McpFunction"/> captured.
    /// </summary>
    private static string WidgetDomain(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IOptions<McpAppsOptions>>().Value.WidgetDomain;
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        var baseUrl = McpRequest.Of(services).BaseUrl;
        return Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : baseUrl;
    }
}
