using System.Runtime.Serialization;
using Fractal.Functions.Storage;

namespace Fractal.Functions.OAuth.Grants;

/// <summary>
/// <c>Grants</c> row, PartitionKey = tenant id, RowKey "grant|&lt;user id&gt;|&lt;client_id&gt;": an app
/// authorization (one user, one consumer). Its token families (one per code exchange: a device or
/// connection) are listed by <see cref="GrantFamilyEntity"/> rows. Grants, their codes and families share
/// the tenant's partition so that redeeming a code is one entity-group transaction.
/// </summary>
public sealed class GrantEntity : StoredEntity
{
    public const string RowKeyPrefix = "grant|";
    public string UserId { get; set; } = "";
    public string ClientId { get; set; } = "";
    /// <summary>Scopes consented most recently, space-separated.</summary>
    public string Scopes { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ConsentedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    public static string RowKeyFor(string userId, string clientId) => $"{RowKeyPrefix}{userId}|{Clients.ClientKey.Of(clientId)}";
}

/// <summary>
/// <c>Grants</c> row, PartitionKey = tenant id, RowKey "grantfamily|&lt;user id&gt;|&lt;client_id&gt;|&lt;family id&gt;":
/// lists a grant's families with a prefix range read (written in the transaction that creates the family).
/// </summary>
public sealed class GrantFamilyEntity : StoredEntity
{
    public const string RowKeyPrefix = "grantfamily|";
    public static string PrefixFor(string userId, string clientId) => $"{RowKeyPrefix}{userId}|{Clients.ClientKey.Of(clientId)}|";
    public string FamilyId { get; set; } = "";
}

/// <summary>
/// <c>Grants</c> row, PartitionKey = tenant id, RowKey "family|&lt;family id&gt;": one token family (a device or
/// connection), started by one code exchange. It holds the SHA-256 of the current refresh token and of
/// the one it replaced (for the reuse leeway), never a token.
/// </summary>
public sealed class TokenFamilyEntity : StoredEntity
{
    public const string RowKeyPrefix = "family|";
    public string UserId { get; set; } = "";
    public string ClientId { get; set; } = "";
    /// <summary>The audience (resource) of every access token of this family.</summary>
    public string Resource { get; set; } = "";
    public string Scopes { get; set; } = "";
    public string? CurrentHash { get; set; }
    public string? PreviousHash { get; set; }
    public DateTimeOffset? RotatedAt { get; set; }
    public int Generation { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedReason { get; set; }

    [IgnoreDataMember]
    public string FamilyId => RowKey[RowKeyPrefix.Length..];
}

/// <summary>
/// <c>Grants</c> row, PartitionKey = tenant id, RowKey "code|&lt;SHA-256 of the code&gt;": an approved
/// authorization request waiting to be redeemed (5 minutes, single use). After redemption the row stays
/// until it expires, marked redeemed with the family it started, so a replay can revoke that family
/// (RFC 6749 §4.1.2, §10.5).
/// </summary>
public sealed class AuthorizationCodeEntity : StoredEntity
{
    public const string RowKeyPrefix = "code|";
    public string UserId { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string RedirectUri { get; set; } = "";
    /// <summary>True when the request carried <c>redirect_uri</c> (RFC 6749 §4.1.3: then the token request must repeat it).</summary>
    public bool RedirectUriSent { get; set; }
    public string CodeChallenge { get; set; } = "";
    public string Resource { get; set; } = "";
    public string Scopes { get; set; } = "";
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RedeemedAt { get; set; }
    public string? FamilyId { get; set; }
}
