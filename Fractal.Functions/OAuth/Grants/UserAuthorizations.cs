using Fractal.Functions.Identity;

namespace Fractal.Functions.OAuth.Grants;

/// <summary>
/// Ends every app authorization of one person: each grant is revoked (<see cref="TokenFamilyStore.RevokeGrantAsync"/>),
/// so refresh tokens fail at once and access tokens within <c>OAuth:StatusCacheSeconds</c>. Used when the person's
/// credentials can no longer be trusted or they leave: disable, delete, a password reset by an administrator or the
/// operator, and a password change when the person asks for it. Whoever knew the old password may have consented an
/// app; a reset that only ended browser sessions would leave that app refreshing for up to OAuth:RefreshMaxDays.
/// </summary>
public sealed class UserAuthorizations(GrantStore grants, TokenFamilyStore families)
{
    /// <summary>Revokes every grant of the user; returns how many there were.</summary>
    public async Task<int> RevokeAllAsync(TenantId tenant, string userId, string reason, CancellationToken ct = default)
    {
        // Collected first: revoking deletes grant rows, which would move a cursor over the same range.
        var clientIds = await grants.AllAsync(tenant, userId, ct).Select(g => g.ClientId).ToListAsync(ct);
        foreach (var clientId in clientIds) await families.RevokeGrantAsync(tenant, userId, clientId, reason, ct);
        return clientIds.Count;
    }
}
