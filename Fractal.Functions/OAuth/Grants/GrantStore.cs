using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Storage;

namespace Fractal.Functions.OAuth.Grants;

/// <summary>What the person approved at the consent page, ready to become a code.</summary>
public sealed record ApprovedRequest(
    TenantId Tenant, string UserId, string ClientId, string RedirectUri, bool RedirectUriSent,
    string CodeChallenge, string Resource, IReadOnlyList<string> Scopes);

/// <summary>App authorizations (grants) and authorization codes.</summary>
public sealed class GrantStore(TableStore tables, PagedReader reader, TimeProvider time)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);
    private const int MaxConsentAttempts = 64;

    /// <summary>
    /// Creates or updates the user's grant for this consumer with the approved scopes and stores the code
    /// under its hash, both in one transaction. Returns the code (shown once, in the redirect).
    /// </summary>
    public async Task<string> IssueCodeAsync(ApprovedRequest request, CancellationToken ct = default)
    {
        var code = OpaqueToken.New(request.Tenant.Value);
        var now = time.GetUtcNow();
        var scopes = Scopes.Format(request.Scopes);
        var codeRow = new AuthorizationCodeEntity
        {
            PartitionKey = request.Tenant.Value,
            RowKey = AuthorizationCodeEntity.RowKeyPrefix + OpaqueToken.Hash(code),
            UserId = request.UserId,
            ClientId = request.ClientId,
            RedirectUri = request.RedirectUri,
            RedirectUriSent = request.RedirectUriSent,
            CodeChallenge = request.CodeChallenge,
            Resource = request.Resource,
            Scopes = scopes,
            IssuedAt = now,
            ExpiresAt = now + CodeLifetime,
        };

        // Two consents of one user for one consumer may race (two tabs): the grant write is conditional,
        // and the loser re-reads and tries again, so both codes end up attached to one grant.
        for (var attempt = 0; ; attempt++)
        {
            var grant = await FindGrantAsync(request.Tenant, request.UserId, request.ClientId, ct);
            TableTransactionAction grantAction;
            if (grant is null)
            {
                grantAction = new TableTransactionAction(TableTransactionActionType.Add, new GrantEntity
                {
                    PartitionKey = request.Tenant.Value,
                    RowKey = GrantEntity.RowKeyFor(request.UserId, request.ClientId),
                    UserId = request.UserId, ClientId = request.ClientId, Scopes = scopes, CreatedAt = now, ConsentedAt = now,
                });
            }
            else
            {
                grant.Scopes = scopes;
                grant.ConsentedAt = now;
                grantAction = new TableTransactionAction(TableTransactionActionType.UpdateReplace, grant, grant.ETag);
            }
            // A lost answer is read back (LostAnswers): the code row's key is the hash of a code only this request
            // knows, so finding it proves the code and its grant were stored.
            var result = await tables.WriteAsync<AuthorizationCodeEntity>(TableNames.Grants, codeRow.PartitionKey, codeRow.RowKey,
                () => tables.TrySubmitAsync(TableNames.Grants, [grantAction, new TableTransactionAction(TableTransactionActionType.Add, codeRow)], ct),
                _ => true, ct);
            if (result.Succeeded) return code;
            // Every round has one winner, so N racing consents need at most N rounds; the jittered pause spreads
            // the losers out (20 parallel consents lost 10 rounds in a row without it, a 500 to the person).
            if (attempt >= MaxConsentAttempts) throw new InvalidOperationException("Could not record the consent after repeated conflicts.");
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25 + 5 * Math.Min(attempt, 10))), ct);
        }
    }

    /// <summary>
    /// One page of the tenant's grants (RowKey "grant|user|client": a single-partition range read), or of one
    /// user's grants when <paramref name="userId"/> is given.
    /// </summary>
    public Task<TablePage<GrantEntity>> ReadPageAsync(TenantId tenant, string? userId, int pageSize, string? cursor, CancellationToken ct = default) =>
        reader.ReadPageAsync<GrantEntity>(RangeQuery.Prefix(TableNames.Grants, tenant.Value, PrefixOf(userId)), pageSize, cursor, ct);

    /// <summary>Every grant of the tenant, or of one user, page after page.</summary>
    public async IAsyncEnumerable<GrantEntity> AllAsync(TenantId tenant, string? userId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        string? cursor = null;
        do
        {
            var page = await ReadPageAsync(tenant, userId, PagedReader.MaxPageSize, cursor, ct);
            foreach (var grant in page.Items) yield return grant;
            cursor = page.NextCursor;
        } while (cursor is not null);
    }

    private static string PrefixOf(string? userId) => userId is null ? GrantEntity.RowKeyPrefix : $"{GrantEntity.RowKeyPrefix}{userId}|";

    public Task<GrantEntity?> FindGrantAsync(TenantId tenant, string userId, string clientId, CancellationToken ct = default) =>
        tables.FindAsync<GrantEntity>(TableNames.Grants, tenant.Value, GrantEntity.RowKeyFor(userId, clientId), ct);

    /// <summary>The code's row, found by the code's locator and hash; null for anything unknown or malformed.</summary>
    public async Task<AuthorizationCodeEntity?> FindCodeAsync(string code, CancellationToken ct = default)
    {
        var tenant = OpaqueToken.TryReadTenant(code, 1);
        return tenant is null
            ? null
            : await tables.FindAsync<AuthorizationCodeEntity>(TableNames.Grants, tenant.Value.Value, AuthorizationCodeEntity.RowKeyPrefix + OpaqueToken.Hash(code), ct);
    }
}
