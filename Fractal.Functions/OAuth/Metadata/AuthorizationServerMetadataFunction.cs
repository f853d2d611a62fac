using Fractal.Functions.Hosting;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.OAuth.Metadata;

/// <summary>
/// <c>GET /.well-known/oauth-authorization-server[/&lt;issuer path&gt;]</c> (RFC 8414 §3: for an issuer with a
/// path, the path is inserted after the well-known name).
/// </summary>
public sealed class AuthorizationServerMetadataFunction(PublicUrls urls, IOptions<RegistrationOptions> registration)
{
    [Function("AuthorizationServerMetadata")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = ".well-known/oauth-authorization-server/{*issuerPath}")] HttpRequest request,
        string? issuerPath) =>
        MetadataResponse.ForIssuerPath(request, urls, registration.Value, issuerPath);
}

/// <summary><c>GET /.well-known/openid-configuration[/&lt;issuer path&gt;]</c>: the same document.</summary>
public sealed class OpenIdConfigurationFunction(PublicUrls urls, IOptions<RegistrationOptions> registration)
{
    [Function("OpenIdConfiguration")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = ".well-known/openid-configuration/{*issuerPath}")] HttpRequest request,
        string? issuerPath) =>
        MetadataResponse.ForIssuerPath(request, urls, registration.Value, issuerPath);
}

internal static class MetadataResponse
{
    public static IResult ForIssuerPath(HttpRequest request, PublicUrls urls, RegistrationOptions registration, string? issuerPath)
    {
        if (HttpMethods.IsOptions(request.Method)) return Cors.Preflight(request, "GET, OPTIONS");
        var issuer = urls.Issuer(request);
        var expectedPath = new Uri(issuer).AbsolutePath.Trim('/');
        if (!string.Equals((issuerPath ?? "").Trim('/'), expectedPath, StringComparison.Ordinal) && !string.IsNullOrEmpty(issuerPath))
            return Results.Json(new { error = "not_found", error_description = "No authorization server at this path." }, statusCode: 404);
        return Json(request, AuthorizationServerMetadata.Build(issuer, registration));
    }

    public static IResult Json(HttpRequest request, System.Text.Json.Nodes.JsonNode body)
    {
        Cors.Allow(request.HttpContext.Response, "GET, OPTIONS");
        // Metadata changes only with a deployment; a short public cache keeps cold clients fast.
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Text(body.ToJsonString(), "application/json", System.Text.Encoding.UTF8);
    }
}
