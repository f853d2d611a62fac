using System.Text.Json.Nodes;
using Fractal.Functions.Hosting;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.OAuth.Metadata;

/// <summary>
/// <c>GET /.well-known/oauth-protected-resource[/&lt;resource path&gt;]</c> (RFC 9728 §3.1): the path-suffixed
/// documents of the MCP endpoint and of the admin API; the root form describes the MCP endpoint (some
/// clients only try the root).
/// </summary>
public sealed class ProtectedResourceMetadataFunction(PublicUrls urls)
{
    [Function("ProtectedResourceMetadata")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = ".well-known/oauth-protected-resource/{*resourcePath}")] HttpRequest request,
        string? resourcePath)
    {
        if (HttpMethods.IsOptions(request.Method)) return Cors.Preflight(request, "GET, OPTIONS");
        var path = "/" + (resourcePath ?? "").Trim('/');
        var baseUrl = urls.BaseUrl(request);
        var (resource, name) = path switch
        {
            "/" or OAuthResources.McpPath => (OAuthResources.McpPath, "Fractal One maintenance (MCP)"),
            OAuthResources.ApiPath => (OAuthResources.ApiPath, "Fractal One admin API"),
            _ => (null, null),
        };
        if (resource is null)
            return Results.Json(new { error = "not_found", error_description = "No protected resource at this path." }, statusCode: 404);

        return MetadataResponse.Json(request, new JsonObject
        {
            // Exactly the URL a person pastes into the client (path included), RFC 9728 §3.3.
            ["resource"] = baseUrl + resource,
            ["authorization_servers"] = new JsonArray(urls.Issuer(request)),
            ["scopes_supported"] = new JsonArray([.. Scopes.AllowedFor(resource).Select(s => JsonValue.Create(s))]),
            ["bearer_methods_supported"] = new JsonArray("header"),
            ["resource_name"] = name,
        });
    }
}
