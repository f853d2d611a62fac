using System.Text.Json;
using System.Text.Json.Serialization;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Consumers.Api;

/// <summary>The JSON shape of a consumer in the admin API (snake_case, as OAuth metadata is).</summary>
public sealed record ConsumerJson(
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("client_type")] string ClientType,
    [property: JsonPropertyName("grant_type")] string GrantType,
    [property: JsonPropertyName("callback_urls")] IReadOnlyList<string> CallbackUrls,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("privacy_policy_url")] string? PrivacyPolicyUrl,
    [property: JsonPropertyName("eula_url")] string? EulaUrl,
    [property: JsonPropertyName("permission_group")] string PermissionGroup,
    [property: JsonPropertyName("secret_prefix")] string? SecretPrefix,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("client_secret"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientSecret = null)
{
    public static ConsumerJson From(ConsumerEntity c, string? secret = null) => new(c.ClientId, c.Name, c.Description, c.ClientType, c.GrantType,
        c.CallbackUrlList, c.Url, c.PrivacyPolicyUrl, c.EulaUrl, c.PermissionGroup, c.SecretPrefix, c.CreatedAt, c.UpdatedAt, secret);
}

/// <summary>A create or update body.</summary>
public sealed record ConsumerBody(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("client_type")] string? ClientType,
    [property: JsonPropertyName("callback_urls")] List<string>? CallbackUrls,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("privacy_policy_url")] string? PrivacyPolicyUrl,
    [property: JsonPropertyName("eula_url")] string? EulaUrl,
    [property: JsonPropertyName("permission_group")] string? PermissionGroup)
{
    public ConsumerDraft ToDraft() => new(Name ?? "", Description ?? "", ClientType ?? ClientTypes.Confidential, CallbackUrls ?? [],
        Url, PrivacyPolicyUrl, EulaUrl, PermissionGroup ?? "");

    /// <summary>The body, or null when it is not a JSON object of this shape.</summary>
    public static async Task<ConsumerBody?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true) return null;
        try
        {
            return await JsonSerializer.DeserializeAsync<ConsumerBody>(request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Field errors in English for the API (the pages show the same keys translated).</summary>
    public static IReadOnlyDictionary<string, string> English(IReadOnlyDictionary<string, string> errors)
    {
        var t = Texts.For("en");
        return errors.ToDictionary(e => e.Key.Length == 0 ? "consumer" : e.Key, e => t[e.Value]);
    }
}
