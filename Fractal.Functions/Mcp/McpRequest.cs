using Fractal.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Mcp;

/// <summary>
/// What tools and filters need from the HTTP request, captured once by <see cref="McpFunction"/> into the request's
/// services, the ones the SDK's per-request server hands to every handler. Nothing may read the request ambiently:
/// under the Functions host a tool runs in the flow of the host's invocation, where the HTTP context accessor is null
/// (docs/architecture.md, "Two hosts").
/// </summary>
public sealed class McpRequest
{
    private string? _baseUrl;

    /// <summary>The base of absolute URLs published from this request (record links, the views' origin).</summary>
    public string BaseUrl => _baseUrl ?? throw NotCaptured();

    /// <summary>The client went away: an exception caused by this is not an outage.</summary>
    public CancellationToken RequestAborted { get; private set; }

    public void Capture(HttpRequest request, PublicUrls urls)
    {
        _baseUrl = urls.BaseUrl(request);
        RequestAborted = request.HttpContext.RequestAborted;
    }

    /// <summary>The captured request of the services an MCP handler runs with.</summary>
    public static McpRequest Of(IServiceProvider services) => services.GetRequiredService<McpRequest>();

    private static InvalidOperationException NotCaptured() =>
        new("The MCP request was not captured: McpFunction captures it before the SDK serves the call.");
}
