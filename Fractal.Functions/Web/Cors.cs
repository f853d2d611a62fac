using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Web;

/// <summary>
/// CORS for the endpoints browser-based clients (MCP Inspector) call: metadata, JWKS, token, revoke. These
/// take no cookies and are safe to read cross-origin, so any origin is allowed, without credentials.
/// </summary>
public static class Cors
{
    private const string AllowedHeaders = "Authorization, Content-Type, MCP-Protocol-Version";

    public static void Allow(HttpResponse response, string methods)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlAllowMethods = methods;
        response.Headers.AccessControlAllowHeaders = AllowedHeaders;
        response.Headers.AccessControlExposeHeaders = "WWW-Authenticate";
        response.Headers.AccessControlMaxAge = "86400";
    }

    /// <summary>Answers a preflight (OPTIONS) request.</summary>
    public static IResult Preflight(HttpRequest request, string methods)
    {
        Allow(request.HttpContext.Response, methods);
        return Results.NoContent();
    }
}
