using Fractal.Functions.Admin;
using Fractal.Functions.Audit;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Consumers;

/// <summary>One row of the App authorizations tab.</summary>
public sealed record AppAuthorization(
    string Id, string UserId, string UserEmail, string ClientId, string ConsumerName, string Scopes,
    int ActiveConnections, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>Who authorized which consumer, and revoking it.</summary>
public sealed class AppAuthorizationService(
    UserStore users, ConsumerStore consumers, GrantStore grants, TokenFamilyStore families, AuditLog audit, IOptions<OAuthOptions> options, TimeProvider time)
{
    public const int PageSize = 25;

    /// <summary>An authorization's id in URLs: base64url of "user id|client_id".</summary>
    public static string IdOf(string userId, string clientId) =>
        System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes($"{userId}|{clientId}"));

    public static (string UserId, string ClientId)? ParseId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 1000) return null; // room for a metadata-document client_id (a URL of up to 512 characters)
        try
        {
            var parts = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(id)).Split('|');
            return parts.Length == 2 ? (parts[0], parts[1]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public async Task<(IReadOnlyList<AppAuthorization> Items, string? NextCursor)> ListAsync(TenantId tenant, string? cursor, CancellationToken ct, string? onlyUserId = null)
    {
        var page = await grants.ReadPageAsync(tenant, onlyUserId, PageSize, cursor, ct);
        var items = await Task.WhenAll(page.Items.Select(async grant =>
        {
            var user = users.FindAsync(tenant, grant.UserId, ct);
            var consumer = consumers.FindAsync(tenant, grant.ClientId, ct);
            var active = (await families.ListForGrantAsync(tenant, grant.UserId, grant.ClientId, ct)).Count(IsActive);
            return new AppAuthorization(IdOf(grant.UserId, grant.ClientId), grant.UserId, (await user)?.Email ?? "(deleted user)",
                grant.ClientId, (await consumer)?.Name ?? (await consumers.FindLinkedAsync(tenant, grant.ClientId, ct))?.Name ?? "(deleted consumer)", grant.Scopes, active, grant.CreatedAt, grant.LastUsedAt);
        }));
        return (items, page.NextCursor);
    }

    /// <summary>A family counts as an active connection while its refresh token could still be used.</summary>
    private bool IsActive(TokenFamilyEntity family)
    {
        var now = time.GetUtcNow();
        var o = options.Value;
        return family.RevokedAt is null && (family.CurrentHash is not null || now - family.CreatedAt < TimeSpan.FromDays(1))
               && now - family.LastUsedAt <= TimeSpan.FromDays(o.RefreshIdleDays) && now - family.CreatedAt <= TimeSpan.FromDays(o.RefreshMaxDays);
    }

    /// <summary>Revokes one authorization (refresh tokens at once; access tokens within OAuth:StatusCacheSeconds). False when unknown.</summary>
    public async Task<bool> RevokeAsync(TenantId tenant, string actingUserId, string id, CancellationToken ct)
    {
        if (ParseId(id) is not var (userId, clientId)) return false;
        if (await grants.FindGrantAsync(tenant, userId, clientId, ct) is null) return false;
        await families.RevokeGrantAsync(tenant, userId, clientId, "revoked by " + actingUserId, ct);
        await audit.WriteAsync(tenant, new AuditEntry("authorization_revoked", AuditOutcome.Success, actingUserId, clientId, $"authorization of user {userId}"), ct);
        return true;
    }
}
