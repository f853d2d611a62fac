using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>Talks to /oauth/token and /oauth/revoke as an MCP client's backend does.</summary>
public sealed class TokenClient(TestApp app, string clientId, string? secret)
{
    public enum Auth { Post, Basic, None }

    public async Task<(HttpResponseMessage Response, JsonNode? Body)> PostAsync(string path, IDictionary<string, string?> fields, Auth auth = Auth.Post)
    {
        var form = fields.Where(f => f.Value is not null).ToDictionary(f => f.Key, f => f.Value!);
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        switch (auth)
        {
            case Auth.Post:
                form["client_id"] = clientId;
                if (secret is not null) form["client_secret"] = secret;
                break;
            case Auth.Basic:
                var pair = $"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret ?? "")}";
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
                break;
            case Auth.None:
                form["client_id"] = clientId;
                break;
        }
        request.Content = new FormUrlEncodedContent(form);
        var response = await app.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    public Task<(HttpResponseMessage Response, JsonNode? Body)> ExchangeAsync(string code, string verifier, string redirectUri, Auth auth = Auth.Post, string? resource = null) =>
        PostAsync("/oauth/token", new Dictionary<string, string?>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["code_verifier"] = verifier, ["redirect_uri"] = redirectUri, ["resource"] = resource,
        }, auth);

    public Task<(HttpResponseMessage Response, JsonNode? Body)> RefreshAsync(string refreshToken, Auth auth = Auth.Post, string? resource = null, string? scope = null) =>
        PostAsync("/oauth/token", new Dictionary<string, string?>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["resource"] = resource, ["scope"] = scope,
        }, auth);

    public Task<(HttpResponseMessage Response, JsonNode? Body)> RevokeAsync(string token, Auth auth = Auth.Post) =>
        PostAsync("/oauth/revoke", new Dictionary<string, string?> { ["token"] = token }, auth);
}

/// <summary>A signed-in person's consent turned into a code, ready for the token endpoint.</summary>
public sealed record IssuedCode(string Code, OAuthRequests Requests, string RedirectUri);

public static class OAuthFlow
{
    public static async Task<IssuedCode> CodeAsync(TestApp app, TestTenant tenant, TestUser? user = null, string? clientId = null,
        string redirectUri = TestTenant.ClientCallback, Action<Dictionary<string, string?>>? adjust = null, bool allowWrite = true)
    {
        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(user ?? tenant.Viewer);
        var requests = new OAuthRequests(app);
        var parameters = requests.Parameters(clientId ?? tenant.ClientId, redirectUri);
        adjust?.Invoke(parameters);
        using var response = await browser.ConsentAsync(OAuthRequests.AuthorizeUrl(parameters), allowWrite: allowWrite);
        return new IssuedCode(OAuthRequests.RedirectParameters(response)["code"], requests, redirectUri);
    }

    /// <summary>Consent and code exchange: the token response body.</summary>
    public static async Task<JsonNode> TokensAsync(TestApp app, TestTenant tenant, TestUser? user = null, Action<Dictionary<string, string?>>? adjust = null)
    {
        var code = await CodeAsync(app, tenant, user, adjust: adjust);
        var (response, body) = await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Code exchange answered {(int)response.StatusCode}: {body}");
        return body!;
    }
}
