using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Hosting.Faults;

/// <summary>The error format a client of an endpoint understands; chosen from the path, as the routes are laid out.</summary>
public enum EndpointProtocol
{
    /// <summary>RFC 6749 §5.2 JSON errors: the token, revocation and registration endpoints and the metadata documents.</summary>
    OAuthJson,
    /// <summary>JSON-RPC 2.0 error objects: the MCP endpoint.</summary>
    JsonRpc,
    /// <summary>RFC 9457 problem+json: the admin API.</summary>
    Problem,
    /// <summary>A readable HTML page: everything a person opens in a browser, including /oauth/authorize.</summary>
    Page,
}

public static class EndpointProtocols
{
    public static EndpointProtocol Of(HttpRequest request)
    {
        var path = request.Path;
        if (path.StartsWithSegments("/mcp")) return EndpointProtocol.JsonRpc;
        if (path.StartsWithSegments("/api")) return EndpointProtocol.Problem;
        // The authorize endpoint talks to a person until the client and redirect_uri are verified
        // (RFC 6749 §4.1.2.1), and verifying them needs the storage that is failing: a page, not a redirect.
        if (path.StartsWithSegments("/oauth/authorize")) return EndpointProtocol.Page;
        if (path.StartsWithSegments("/oauth") || path.StartsWithSegments("/.well-known") || path.StartsWithSegments("/health"))
            return EndpointProtocol.OAuthJson;
        return EndpointProtocol.Page;
    }
}
