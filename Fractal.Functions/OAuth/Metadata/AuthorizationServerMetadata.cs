using System.Text.Json.Nodes;
using Fractal.Functions.Hosting.Options;

namespace Fractal.Functions.OAuth.Metadata;

/// <summary>The RFC 8414 document, also served as OpenID discovery (MCP 2025-11-25 clients may try either).</summary>
public static class AuthorizationServerMetadata
{
    public static JsonObject Build(string issuer, RegistrationOptions registration)
    {
        var document = new JsonObject
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = issuer + "/oauth/authorize",
            ["token_endpoint"] = issuer + "/oauth/token",
            ["jwks_uri"] = issuer + "/oauth/jwks",
            ["revocation_endpoint"] = issuer + "/oauth/revoke",
            ["scopes_supported"] = new JsonArray([.. Scopes.All.Select(s => JsonValue.Create(s))]),
            ["response_types_supported"] = new JsonArray("code"),
            ["response_modes_supported"] = new JsonArray("query"),
            ["grant_types_supported"] = new JsonArray("authorization_code", "refresh_token"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_basic", "client_secret_post", "none"),
            ["revocation_endpoint_auth_methods_supported"] = new JsonArray("client_secret_basic", "client_secret_post", "none"),
            // RFC 7636 / MCP 2025-11-25: clients refuse to proceed without S256 listed; plain is not offered.
            ["code_challenge_methods_supported"] = new JsonArray("S256"),
            // RFC 9207: every authorization response (success and error) carries iss.
            ["authorization_response_iss_parameter_supported"] = true,
            ["ui_locales_supported"] = new JsonArray("en", "es"),
        };
        // Advertise exactly what is on: a client that sees these tries them (MCP 2025-11-25 client registration order).
        if (registration.DynamicClientsEnabled) document["registration_endpoint"] = issuer + "/oauth/register";
        if (registration.MetadataDocumentsEnabled) document["client_id_metadata_document_supported"] = true;
        return document;
    }
}
