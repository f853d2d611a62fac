using System.Text;
using System.Text.Json.Nodes;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.OAuth.Registration;

/// <summary>Calls /oauth/register as an MCP client does.</summary>
internal static class Register
{
    public static async Task<(HttpResponseMessage Response, JsonNode? Body)> PostAsync(TestApp app, string json, string? clientIp = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/register") { Content = new StringContent(json, Encoding.UTF8, contentType) };
        request.Headers.Add("X-Forwarded-For", clientIp ?? RegistrationApp.NewClientIp());
        var response = await app.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        try { body = text.Length > 0 ? JsonNode.Parse(text) : null; } catch (System.Text.Json.JsonException) { }
        return (response, body);
    }

    public static Task<(HttpResponseMessage Response, JsonNode? Body)> PostAsync(TestApp app, JsonNode metadata, string? clientIp = null) =>
        PostAsync(app, metadata.ToJsonString(), clientIp);

    /// <summary>What Claude sends (client_secret_post, its callback, refresh tokens).</summary>
    public static JsonObject ClaudeLike(string authMethod = "client_secret_post", params string[] redirectUris) => new()
    {
        ["client_name"] = "Claude",
        ["redirect_uris"] = new JsonArray([.. (redirectUris.Length == 0 ? ["https://claude.ai/api/mcp/auth_callback", TestTenant.ClientCallback] : redirectUris).Select(u => JsonValue.Create(u))]),
        ["grant_types"] = new JsonArray("authorization_code", "refresh_token"),
        ["response_types"] = new JsonArray("code"),
        ["token_endpoint_auth_method"] = authMethod,
        ["scope"] = "maintenance.read maintenance.write offline_access",
    };

    /// <summary>Registers and returns (client_id, client_secret or null).</summary>
    public static async Task<(string ClientId, string? Secret)> ClientAsync(TestApp app, string authMethod = "client_secret_post")
    {
        var (response, body) = await PostAsync(app, ClaudeLike(authMethod));
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"Registration answered {(int)response.StatusCode}: {body}");
        return (body!["client_id"]!.GetValue<string>(), body["client_secret"]?.GetValue<string>());
    }
}
