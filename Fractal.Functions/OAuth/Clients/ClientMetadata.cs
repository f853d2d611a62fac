using System.Text.Json;

namespace Fractal.Functions.OAuth.Clients;

/// <summary>Client metadata (RFC 7591 §2) after validation, as this server supports it.</summary>
public sealed record ClientMetadata(
    IReadOnlyList<string> RedirectUris,
    string TokenEndpointAuthMethod,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyList<string> ResponseTypes,
    string? ClientName,
    string? ClientUri,
    string? PolicyUri,
    string? TosUri,
    string? Scope);

/// <summary>An RFC 7591 §3.2.2 error: <c>invalid_redirect_uri</c> or <c>invalid_client_metadata</c>.</summary>
public sealed record ClientMetadataError(string Error, string Description);

/// <summary>
/// The one set of rules for client metadata, whether it arrives in a registration request (RFC 7591) or in
/// a client ID metadata document (draft-ietf-oauth-client-id-metadata-document). Redirect URIs obey the
/// same rules as a consumer's callback URLs (<see cref="RedirectUris.IsValidRegistration"/>); grant and
/// response types are limited to what this server supports.
/// </summary>
public static class ClientMetadataRules
{
    public const int MaxRedirectUris = 10;
    public const int MaxNameLength = 100;
    public static readonly IReadOnlyList<string> SupportedGrantTypes = ["authorization_code", "refresh_token"];
    public static readonly IReadOnlyList<string> RegistrationAuthMethods = ["none", "client_secret_basic", "client_secret_post"];

    /// <param name="isDocument">
    /// A metadata document: its client can hold no shared secret (CIMD §4.1 forbids client_secret_* methods
    /// and a client_secret), so only <c>none</c> is accepted and it is the default; private_key_jwt is not
    /// supported. A registration request defaults to client_secret_basic (RFC 7591 §2).
    /// </param>
    public static (ClientMetadata? Metadata, ClientMetadataError? Error) Validate(JsonElement body, bool isDocument)
    {
        static (ClientMetadata?, ClientMetadataError?) Invalid(string description) => (null, new("invalid_client_metadata", description));
        if (body.ValueKind != JsonValueKind.Object) return Invalid("The client metadata must be a JSON object.");

        // redirect_uris: required for the authorization code grant (RFC 7591 §2), each exact and safe.
        if (!body.TryGetProperty("redirect_uris", out var uris) || uris.ValueKind != JsonValueKind.Array || uris.GetArrayLength() == 0)
            return (null, new("invalid_redirect_uri", "redirect_uris must be a non-empty array of URLs."));
        if (uris.GetArrayLength() > MaxRedirectUris) return (null, new("invalid_redirect_uri", $"At most {MaxRedirectUris} redirect_uris may be registered."));
        var redirectUris = new List<string>();
        foreach (var uri in uris.EnumerateArray())
        {
            var value = uri.ValueKind == JsonValueKind.String ? uri.GetString() : null;
            if (!RedirectUris.IsValidRegistration(value, out var problem))
                return (null, new("invalid_redirect_uri", $"The redirect URI {(value is null ? "(not a string)" : Quote(value))} {problem}."));
            if (!redirectUris.Contains(value!)) redirectUris.Add(value!);
        }

        if (!TryString(body, "token_endpoint_auth_method", out var authMethod)) return Invalid("token_endpoint_auth_method must be a string.");
        authMethod ??= isDocument ? "none" : "client_secret_basic";
        if (isDocument)
        {
            if (authMethod != "none")
                return Invalid(authMethod.StartsWith("client_secret", StringComparison.Ordinal)
                    ? "A client ID metadata document may not use a shared secret (token_endpoint_auth_method must be none)."
                    : $"token_endpoint_auth_method {Quote(authMethod)} is not supported; use none (a public client with PKCE).");
            if (body.TryGetProperty("client_secret", out _) || body.TryGetProperty("client_secret_expires_at", out _))
                return Invalid("A client ID metadata document must not contain a client_secret.");
        }
        else if (!RegistrationAuthMethods.Contains(authMethod))
        {
            return Invalid($"token_endpoint_auth_method must be one of {string.Join(", ", RegistrationAuthMethods)}.");
        }

        var (grantTypes, grantError) = ReadList(body, "grant_types", ["authorization_code"], SupportedGrantTypes);
        if (grantError is not null) return Invalid(grantError);
        if (!grantTypes!.Contains("authorization_code")) return Invalid("grant_types must include authorization_code (the only flow this server offers).");
        var (responseTypes, responseError) = ReadList(body, "response_types", ["code"], ["code"]);
        if (responseError is not null) return Invalid(responseError);

        if (!TryString(body, "client_name", out var name) || name is { Length: > MaxNameLength } || name?.Any(char.IsControl) == true)
            return Invalid($"client_name must be a string of at most {MaxNameLength} characters.");
        string? clientUri = null, policyUri = null, tosUri = null;
        foreach (var (field, set) in new (string, Action<string?>)[] { ("client_uri", v => clientUri = v), ("policy_uri", v => policyUri = v), ("tos_uri", v => tosUri = v) })
        {
            if (!TryString(body, field, out var value)) return Invalid($"{field} must be a string.");
            if (value is not null && !(value.Length <= 2000 && Uri.TryCreate(value, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps))
                return Invalid($"{field} must be an https URL.");
            set(value);
        }
        if (!TryString(body, "scope", out var scope)) return Invalid("scope must be a string.");
        if (scope is not null && Scopes.Parse(scope).FirstOrDefault(s => !Scopes.All.Contains(s) && !Scopes.IgnoredOidcScopes.Contains(s)) is { } unknown)
            return Invalid($"The scope {Quote(unknown)} is unknown; supported: {string.Join(' ', Scopes.All)}.");

        return (new ClientMetadata(redirectUris, authMethod, grantTypes!, responseTypes!, string.IsNullOrWhiteSpace(name) ? null : name.Trim(),
            clientUri, policyUri, tosUri, string.IsNullOrWhiteSpace(scope) ? null : Scopes.Format(Scopes.Parse(scope))), null);
    }

    private static bool TryString(JsonElement body, string name, out string? value)
    {
        value = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return true;
        if (element.ValueKind != JsonValueKind.String) return false;
        value = element.GetString();
        return true;
    }

    private static (IReadOnlyList<string>? Values, string? Error) ReadList(JsonElement body, string name, IReadOnlyList<string> fallback, IReadOnlyList<string> supported)
    {
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return (fallback, null);
        if (element.ValueKind != JsonValueKind.Array || element.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            return (null, $"{name} must be an array of strings.");
        var values = element.EnumerateArray().Select(e => e.GetString()!).Distinct().ToList();
        var unsupported = values.FirstOrDefault(v => !supported.Contains(v));
        return unsupported is null
            ? (values.Count == 0 ? fallback : values, null)
            : (null, $"{name} {Quote(unsupported)} is not supported; supported: {string.Join(", ", supported)}.");
    }

    /// <summary>A client-supplied value inside an error description: bounded, and only printable characters.</summary>
    private static string Quote(string value)
    {
        var clean = new string(value.Take(100).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return $"\"{clean}{(value.Length > 100 ? "…" : "")}\"";
    }
}
