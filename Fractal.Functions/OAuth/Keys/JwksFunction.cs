using System.Text.Json.Nodes;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.IdentityModel.Tokens;

namespace Fractal.Functions.OAuth.Keys;

/// <summary><c>GET /oauth/jwks</c>: the public keys of the access-token signer, current and previous (RFC 7517).</summary>
public sealed class JwksFunction(SigningKeyRing ring)
{
    [Function("Jwks")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "oauth/jwks")] HttpRequest request)
    {
        if (HttpMethods.IsOptions(request.Method)) return Cors.Preflight(request, "GET, OPTIONS");
        var keys = new JsonArray();
        foreach (var key in await ring.KeysAsync(request.HttpContext.RequestAborted))
        {
            var parameters = key.Key.Rsa.ExportParameters(includePrivateParameters: false);
            keys.Add(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = SecurityAlgorithms.RsaSha256,
                ["kid"] = key.Kid,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            });
        }
        Cors.Allow(request.HttpContext.Response, "GET, OPTIONS");
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Text(new JsonObject { ["keys"] = keys }.ToJsonString(), "application/json");
    }
}
