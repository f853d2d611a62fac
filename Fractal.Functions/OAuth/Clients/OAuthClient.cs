using Fractal.Functions.Consumers;
using Fractal.Functions.Identity;

namespace Fractal.Functions.OAuth.Clients;

/// <summary>Where a client comes from, which decides who may use it.</summary>
public enum ClientKind
{
    /// <summary>Created by a tenant admin (Settings › API Connections): usable only by that tenant's people.</summary>
    Consumer,
    /// <summary>Registered itself at <c>/oauth/register</c> (RFC 7591): belongs to no tenant.</summary>
    Dynamic,
    /// <summary>Its client_id is an https URL naming its metadata document (MCP 2025-11-25): belongs to no tenant.</summary>
    MetadataDocument,
}

/// <summary>
/// A client as the authorize, token and revocation endpoints see it, whatever its origin. Consumers belong
/// to one tenant (<see cref="OwnerTenant"/>); dynamic and metadata-document clients to none: each grant
/// then takes the signing-in user's tenant, and that tenant's admin allows or blocks them.
/// </summary>
public sealed record OAuthClient(
    string ClientId,
    string Name,
    ClientKind Kind,
    TenantId? OwnerTenant,
    bool IsPublic,
    string? SecretHash,
    IReadOnlyList<string> RedirectUris,
    string? ClientUri = null,
    string? PrivacyPolicyUrl = null,
    string? EulaUrl = null,
    bool AuthorizationCodeAllowed = true)
{
    /// <summary>The host a metadata-document client is identified by (its client_id URL's host); null for others.</summary>
    public string? DocumentHost => Kind == ClientKind.MetadataDocument ? new Uri(ClientId).Host : null;

    public static OAuthClient From(ConsumerEntity c) => new(
        c.ClientId, c.Name, ClientKind.Consumer, new TenantId(c.PartitionKey), c.IsPublic, c.SecretHash, c.CallbackUrlList,
        c.Url, c.PrivacyPolicyUrl, c.EulaUrl, c.GrantType == "authorization_code");
}

/// <summary>
/// A client_id as it may appear inside a table key. Consumer and dynamic client ids are base64url and used
/// as they are; a metadata-document client_id is a URL, whose '/' and '?' table keys refuse, so it is
/// replaced by a fixed-length digest (the URL itself stays in the rows' ClientId columns).
/// </summary>
public static class ClientKey
{
    public static string Of(string clientId) =>
        Consumers.ConsumerStore.IsWellFormed(clientId) ? clientId : "url-" + Storage.Sha256Hex.Of(clientId);
}
