using System.Runtime.Serialization;
using System.Text.Json;
using Fractal.Functions.Storage;

namespace Fractal.Functions.OAuth.Grants;

/// <summary>
/// <c>Grants</c> row, PartitionKey = tenant id, RowKey "grant|&lt;user id&gt;|&lt;client_id&gt;": an app
/// authorization (one user, one consumer). It lists its token families (one per code exchange: a device
/// or connection). Grants, their codes and families share the tenant's partition so that redeeming a code
/// is one entity-group transaction.
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
    /// <summary>JSON array of the family ids of this grant.</summary>
    public string FamilyIds { get; set; } = "[]";

    public static string RowKeyFor(string userId, string clientId) => $"{RowKeyPrefix}{userId}|{clientId}";

    [IgnoreDataMember]
    public List<string> FamilyIdList
    {
        get => JsonSerializer.Deserialize<List<string>>(FamilyIds) ?? [];
        set => FamilyIds = JsonSerializer.Serialize(value);
    }
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
