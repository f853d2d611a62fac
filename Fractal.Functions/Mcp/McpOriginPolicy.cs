using Fractal.Functions.Hosting;
using Fractal.Functions.Hosting.Faults;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Identity.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Mcp;

/// <summary>
/// The <c>Origin</c> check of the MCP endpoint. MCP Streamable HTTP (2025-11-25, transports, "Security Warning"):
/// servers MUST validate the Origin header on all incoming connections to prevent DNS rebinding attacks, and answer
/// an invalid one with 403. A request without Origin is allowed: it is not a browser page's (ChatGPT and Claude call
/// from their servers and send none), and a browser always sends one on a cross-origin POST (Fetch standard). Allowed:
/// the app's own public origin, the in-chat views' origin (<c>McpApps:WidgetDomain</c>) and <c>Mcp:AllowedOrigins</c>.
/// </summary>
public sealed class McpOriginPolicy(PublicUrls urls, IOptions<FractalOptions> fractal, IOptions<McpAppsOptions> apps, IOptions<McpOptions> mcp)
{
    /// <summary>JSON-RPC "server error" range (-32000): the transport refuses the request before reading it.</summary>
    public static readonly IResult Forbidden = new JsonRpcErrorResult(StatusCodes.Status403Forbidden, -32000,
        "Forbidden: this request's Origin may not call this server.");

    public bool Allows(HttpRequest request)
    {
        var origins = request.Headers.Origin;
        if (origins.Count == 0) return true;
        return origins.Count == 1 && Normalised(origins[0]) is { } origin && AllowedOrigins(request).Contains(origin, StringComparer.OrdinalIgnoreCase);
    }

    private IEnumerable<string> AllowedOrigins(HttpRequest request)
    {
        // Without Fractal:PublicBaseUrl (Development only) the own origin comes from the Host header, which a rebinding
        // page controls (its name now points at us): trusted only when it names a loopback host.
        if (!string.IsNullOrWhiteSpace(fractal.Value.PublicBaseUrl) || SessionCookie.IsLoopbackHost(request.Host.Host))
        {
            if (Normalised(urls.BaseUrl(request)) is { } own) yield return own;
        }
        if (!string.IsNullOrWhiteSpace(apps.Value.WidgetDomain)) yield return apps.Value.WidgetDomain;
        foreach (var extra in mcp.Value.AllowedOriginList) yield return extra;
    }

    /// <summary>The origin (scheme://host[:port]) of an absolute http(s) URL; null for anything else ("null", garbage).</summary>
    private static string? Normalised(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
