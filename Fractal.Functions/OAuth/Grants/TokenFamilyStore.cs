using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Secrets;
using Fractal.Functions.Storage;

namespace Fractal.Functions.OAuth.Grants;

/// <summary>
/// Token families: one per code exchange (a device or connection). Refresh tokens rotate on every use.
/// The successor of a refresh token is derived, not random: HMAC(server key, SHA-256(presented token)).
/// So when a client refreshes the same token several times in parallel (they do), every request inside
/// the reuse leeway gets the same successor, and the family keeps exactly one live refresh token, while
/// the table still holds only hashes. A replaced token presented after the leeway, or any older token,
/// revokes its family (RFC 9700 §4.14.2), not the user's other devices.
/// </summary>
public sealed class TokenFamilyStore(TableStore tables, PagedReader reader, ServiceKeyStore keys, TimeProvider time)
{
    private const string RotationKeyPurpose = "refresh-rotation-key";

    public static string NewFamilyId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string NewRefreshToken(TenantId tenant, string familyId) => OpaqueToken.New(tenant.Value, familyId);

    /// <summary>(tenant, family id) from a refresh token's locator; null when malformed.</summary>
    public static (TenantId Tenant, string FamilyId)? ReadLocator(string? refreshToken) =>
        OpaqueToken.TryReadLocator(refreshToken, 2) is [var tenant, var family] && TenantId.IsValid(tenant) && family.Length == 32 && family.All(char.IsAsciiHexDigitLower)
            ? (new TenantId(tenant), family)
            : null;

    public async Task<string> SuccessorAsync(TenantId tenant, string familyId, string presentedHash, CancellationToken ct)
    {
        var key = await keys.GetOrCreateAsync(RotationKeyPurpose, ct);
        return OpaqueToken.WithSecret(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(presentedHash)), tenant.Value, familyId);
    }

    /// <summary>
    /// Redeems a code: marks it used (only if unchanged since read: concurrent redemptions give one
    /// winner), creates the family and its grant index row, and touches the grant (which must still exist),
    /// all in one transaction.
    /// </summary>
    public async Task<WriteResult> RedeemCodeAsync(TenantId tenant, AuthorizationCodeEntity code, TokenFamilyEntity family, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        code.RedeemedAt = now;
        code.FamilyId = family.FamilyId;
        var grantTouch = new TableEntity(tenant.Value, GrantEntity.RowKeyFor(code.UserId, code.ClientId)) { [nameof(GrantEntity.LastUsedAt)] = now };
        // A lost answer is read back (LostAnswers): answering 503 for a stored redemption would leave a redeemed code
        // whose tokens nobody received, and its retry would count as a replay (revoking the family). The family id is
        // new and random: the code naming it proves this very redemption was stored.
        return await tables.WriteAsync<AuthorizationCodeEntity>(TableNames.Grants, code.PartitionKey, code.RowKey, () => tables.TrySubmitAsync(TableNames.Grants,
            [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, code, code.ETag),
                new TableTransactionAction(TableTransactionActionType.Add, family),
                new TableTransactionAction(TableTransactionActionType.Add, new GrantFamilyEntity
                {
                    PartitionKey = tenant.Value, RowKey = GrantFamilyEntity.PrefixFor(code.UserId, code.ClientId) + family.FamilyId, FamilyId = family.FamilyId,
                }),
                new TableTransactionAction(TableTransactionActionType.UpdateMerge, grantTouch, ETag.All),
            ], ct),
            stored => stored.FamilyId == family.FamilyId, ct);
    }

    public Task<TokenFamilyEntity?> FindAsync(TenantId tenant, string familyId, CancellationToken ct = default) =>
        tables.FindAsync<TokenFamilyEntity>(TableNames.Grants, tenant.Value, TokenFamilyEntity.RowKeyPrefix + familyId, ct);

    public Task<WriteResult> TryUpdateAsync(TokenFamilyEntity family, CancellationToken ct = default) =>
        tables.TryReplaceAsync(TableNames.Grants, family, family.ETag, ct);

    /// <summary>
    /// Writes a refresh rotation (<see cref="TryUpdateAsync"/>). When the answer is lost the row is read back: holding
    /// this rotation's successor hash and generation, it was stored, and the successor is answered at once instead of a
    /// 503 the client would have to retry within the reuse leeway (Reliability/HalfResultTests). A parallel refresh
    /// with the same token derives the same successor, so finding its write instead answers what the leeway would.
    /// </summary>
    public Task<WriteResult> TryRotateAsync(TokenFamilyEntity family, CancellationToken ct = default) =>
        tables.WriteAsync<TokenFamilyEntity>(TableNames.Grants, family.PartitionKey, family.RowKey, () => TryUpdateAsync(family, ct),
            stored => stored.RevokedAt is null && stored.CurrentHash == family.CurrentHash && stored.Generation == family.Generation, ct);

    /// <summary>Marks the family revoked (idempotent; a concurrent rotation is retried over).</summary>
    public async Task RevokeAsync(TenantId tenant, string familyId, string reason, CancellationToken ct = default)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var family = await FindAsync(tenant, familyId, ct);
            if (family is null || family.RevokedAt is not null) return;
            family.RevokedAt = time.GetUtcNow();
            family.RevokedReason = reason;
            family.CurrentHash = null;
            family.PreviousHash = null;
            if ((await TryUpdateAsync(family, ct)).Status != WriteStatus.Conflict) return;
        }
    }

    /// <summary>The families of one grant (a single-partition prefix range).</summary>
    public async Task<IReadOnlyList<TokenFamilyEntity>> ListForGrantAsync(TenantId tenant, string userId, string clientId, CancellationToken ct = default)
    {
        var index = await reader.ReadPageAsync<GrantFamilyEntity>(
            RangeQuery.Prefix(TableNames.Grants, tenant.Value, GrantFamilyEntity.PrefixFor(userId, clientId)), PagedReader.MaxPageSize, null, ct);
        var families = await Task.WhenAll(index.Items.Select(i => FindAsync(tenant, i.FamilyId, ct)));
        return families.Where(f => f is not null).Select(f => f!).ToList();
    }

    /// <summary>
    /// Revokes an app authorization: every family dies (refresh tokens at once; access tokens when the
    /// status cache notices, within OAuth:StatusCacheSeconds), then the grant and its index rows go.
    /// A code may be redeemed meanwhile. Its family is added in one transaction with a merge into the grant row
    /// (<see cref="RedeemCodeAsync"/>), which fails once that row is gone; so after deleting the grant the index
    /// is read again, and a family that was added before the delete is found and revoked there. No redemption can
    /// leave a live family behind a revoked grant. The families known at the start are revoked before the grant
    /// goes, so a revocation cut short by a storage failure still shows the grant and can be repeated.
    /// </summary>
    public async Task RevokeGrantAsync(TenantId tenant, string userId, string clientId, string reason, CancellationToken ct = default)
    {
        var known = await RevokeFamiliesAsync(tenant, userId, clientId, reason, ct);
        await tables.TryDeleteAsync(TableNames.Grants, tenant.Value, GrantEntity.RowKeyFor(userId, clientId), ETag.All, ct);
        var latecomers = await RevokeFamiliesAsync(tenant, userId, clientId, reason, ct);
        foreach (var rowKey in known.Concat(latecomers).Distinct(StringComparer.Ordinal))
            await tables.TryDeleteAsync(TableNames.Grants, tenant.Value, rowKey, ETag.All, ct);
    }

    /// <summary>Revokes every family the grant's index lists now; returns the index rows' keys.</summary>
    private async Task<IReadOnlyList<string>> RevokeFamiliesAsync(TenantId tenant, string userId, string clientId, string reason, CancellationToken ct)
    {
        var index = await reader.ReadPageAsync<GrantFamilyEntity>(
            RangeQuery.Prefix(TableNames.Grants, tenant.Value, GrantFamilyEntity.PrefixFor(userId, clientId)), PagedReader.MaxPageSize, null, ct);
        foreach (var row in index.Items) await RevokeAsync(tenant, row.FamilyId, reason, ct);
        return index.Items.Select(r => r.RowKey).ToList();
    }
}
