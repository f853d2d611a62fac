using System.Runtime.Serialization;
using System.Text.Json;
using Fractal.Functions.Storage;

namespace Fractal.Functions.OAuth.Clients;

/// <summary>
/// <c>GlobalClients</c> row, PartitionKey = <see cref="ClientKey.Of"/> of the client_id, RowKey "": a client
/// of no tenant. <see cref="ClientKind.Dynamic"/>: registered at /oauth/register; a confidential one keeps
/// only the SHA-256 of its secret (nobody may ever reveal it, so it is not kept in the secret store).
/// <see cref="ClientKind.MetadataDocument"/>: the validated content of its fetched document, kept until
/// <see cref="CacheUntil"/> (HTTP caching, at most 7 days), shared by every instance.
/// </summary>
public sealed class GlobalClientEntity : StoredEntity
{
    public string ClientId { get; set; } = "";
    /// <summary><c>dynamic</c> or <c>metadata_document</c>.</summary>
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>RFC 7591 token_endpoint_auth_method: none, client_secret_basic or client_secret_post.</summary>
    public string TokenEndpointAuthMethod { get; set; } = "none";
    public string? SecretHash { get; set; }
    /// <summary>JSON array of exact redirect URIs.</summary>
    public string RedirectUris { get; set; } = "[]";
    /// <summary>Space-separated grant types (authorization_code, refresh_token).</summary>
    public string GrantTypes { get; set; } = "authorization_code";
    /// <summary>The registered <c>scope</c> (space-separated), echoed; null when none was registered.</summary>
    public string? Scope { get; set; }
    public string? ClientUri { get; set; }
    public string? PolicyUri { get; set; }
    public string? TosUri { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Touched at most once a day by a use (authorize, token, revoke); 30 days without use and the client is gone.</summary>
    public DateTimeOffset LastUsedAt { get; set; }
    /// <summary>Metadata documents: when the fetched copy goes stale and must be fetched again.</summary>
    public DateTimeOffset? CacheUntil { get; set; }

    public const string DynamicKind = "dynamic";
    public const string MetadataDocumentKind = "metadata_document";

    [IgnoreDataMember]
    public IReadOnlyList<string> RedirectUriList
    {
        get => JsonSerializer.Deserialize<List<string>>(RedirectUris) ?? [];
        set => RedirectUris = JsonSerializer.Serialize(value);
    }

    [IgnoreDataMember]
    public IReadOnlyList<string> GrantTypeList => GrantTypes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public OAuthClient ToClient() => new(
        ClientId, Name, Kind == MetadataDocumentKind ? ClientKind.MetadataDocument : ClientKind.Dynamic, null,
        TokenEndpointAuthMethod == "none", SecretHash, RedirectUriList, ClientUri, PolicyUri, TosUri,
        GrantTypeList.Contains("authorization_code"));
}
