using Fractal.Functions.Storage;

namespace Fractal.Functions.Identity.Sessions;

/// <summary>
/// <c>Sessions</c> row: PartitionKey = SHA-256 (hex) of the session id from the cookie, RowKey "".
/// The id itself is never stored, so a table dump cannot be replayed as a cookie.
/// </summary>
public sealed class SessionEntity : StoredEntity
{
    public string TenantId { get; set; } = "";
    public string UserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    /// <summary>The user's SessionEpoch at sign-in; a later epoch on the user ends this session.</summary>
    public int Epoch { get; set; }
}
