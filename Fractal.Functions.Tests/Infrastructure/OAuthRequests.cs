using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>Builds authorization requests the way MCP clients do (PKCE S256, state, resource).</summary>
public sealed class OAuthRequests(TestApp app)
{
    public string Verifier { get; } = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
    public string Challenge => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));
    public string McpResource => app.BaseAddress.ToString().TrimEnd('/') + "/mcp/oauth/fractal-one";
    public string ApiResource => app.BaseAddress.ToString().TrimEnd('/') + "/api/v1";
    public string Issuer => app.BaseAddress.ToString().TrimEnd('/');

    public Dictionary<string, string?> Parameters(string clientId, string redirectUri, string? state = "xyz-state") => new()
    {
        ["response_type"] = "code",
        ["client_id"] = clientId,
        ["redirect_uri"] = redirectUri,
        ["code_challenge"] = Challenge,
        ["code_challenge_method"] = "S256",
        ["state"] = state,
        ["resource"] = McpResource,
        ["scope"] = "maintenance.read maintenance.write offline_access",
    };

    public static string AuthorizeUrl(IDictionary<string, string?> parameters) =>
        QueryHelpers.AddQueryString("/oauth/authorize", parameters.Where(p => p.Value is not null));

    /// <summary>The query parameters of a redirect's Location.</summary>
    public static Dictionary<string, string> RedirectParameters(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new InvalidOperationException($"No Location in a {(int)response.StatusCode} answer.");
        return QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }
}
