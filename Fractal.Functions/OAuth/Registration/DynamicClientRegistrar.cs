using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Fractal.Functions.Consumers;
using Fractal.Functions.OAuth.Clients;

namespace Fractal.Functions.OAuth.Registration;

/// <summary>
/// Creates a dynamic client from validated metadata and builds the RFC 7591 §3.2.1 response. A confidential
/// client gets a 256-bit secret shown once in the response; only its SHA-256 is stored (nobody may reveal a
/// dynamic client's secret later, so unlike a consumer's it is not kept in the secret store).
/// </summary>
public sealed class DynamicClientRegistrar(GlobalClientStore store, TimeProvider time)
{
    public async Task<JsonObject> RegisterAsync(ClientMetadata m, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var secret = m.TokenEndpointAuthMethod == "none" ? null : ClientSecrets.NewSecret();
        for (var attempt = 0; ; attempt++)
        {
            var clientId = ClientDirectory.DynamicPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
            var row = new GlobalClientEntity
            {
                PartitionKey = ClientKey.Of(clientId),
                RowKey = "",
                ClientId = clientId,
                Kind = GlobalClientEntity.DynamicKind,
                Name = m.ClientName ?? new Uri(m.RedirectUris[0]).Host,
                TokenEndpointAuthMethod = m.TokenEndpointAuthMethod,
                SecretHash = secret is null ? null : ClientSecrets.Hash(secret),
                RedirectUriList = m.RedirectUris,
                GrantTypes = string.Join(' ', m.GrantTypes),
                Scope = m.Scope,
                ClientUri = m.ClientUri,
                PolicyUri = m.PolicyUri,
                TosUri = m.TosUri,
                CreatedAt = now,
                LastUsedAt = now,
            };
            if (await store.TryAddAsync(row, ct)) return Response(row, m, secret);
            if (attempt >= 3) throw new InvalidOperationException("Freshly generated client_ids kept colliding.");
        }
    }

    /// <summary>RFC 7591 §3.2.1: the client_id, the secret (once) and every registered metadata value.</summary>
    private static JsonObject Response(GlobalClientEntity row, ClientMetadata m, string? secret)
    {
        var body = new JsonObject
        {
            ["client_id"] = row.ClientId,
            ["client_id_issued_at"] = row.CreatedAt.ToUnixTimeSeconds(),
        };
        if (secret is not null)
        {
            body["client_secret"] = secret;
            body["client_secret_expires_at"] = 0; // the secret does not expire; the registration does, after 30 days unused
        }
        body["client_name"] = row.Name;
        body["redirect_uris"] = new JsonArray([.. m.RedirectUris.Select(u => JsonValue.Create(u))]);
        body["token_endpoint_auth_method"] = m.TokenEndpointAuthMethod;
        body["grant_types"] = new JsonArray([.. m.GrantTypes.Select(g => JsonValue.Create(g))]);
        body["response_types"] = new JsonArray([.. m.ResponseTypes.Select(r => JsonValue.Create(r))]);
        if (m.Scope is not null) body["scope"] = m.Scope;
        if (m.ClientUri is not null) body["client_uri"] = m.ClientUri;
        if (m.PolicyUri is not null) body["policy_uri"] = m.PolicyUri;
        if (m.TosUri is not null) body["tos_uri"] = m.TosUri;
        return body;
    }
}
