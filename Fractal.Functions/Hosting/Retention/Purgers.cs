using Azure;
using Azure.Data.Tables;
using Fractal.Functions.Audit;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Sessions;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Hosting.Retention;

/// <summary>Authorization codes past their expiry (plus the grace period): a replay after expiry fails anyway.</summary>
public sealed class ExpiredCodesPurger(TableStore tables, TenantStore tenants, IOptions<RetentionOptions> options, TimeProvider time) : IRetentionPurger
{
    public string Name => "expired_codes";

    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromHours(options.Value.ExpiredGraceHours);
        var purged = 0;
        foreach (var tenant in await tenants.ListAllAsync(ct))
            purged += await RetentionRows.DeleteAsync(tables, TableNames.Grants, tenant.PartitionKey, AuthorizationCodeEntity.RowKeyPrefix,
                (AuthorizationCodeEntity c) => c.ExpiresAt < cutoff, ct);
        return purged;
    }
}

/// <summary>Sign-in sessions past their idle or absolute end (plus the grace period).</summary>
public sealed class ExpiredSessionsPurger(TableStore tables, IOptions<SessionOptions> sessions, IOptions<RetentionOptions> options, TimeProvider time) : IRetentionPurger
{
    public string Name => "expired_sessions";

    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow() - TimeSpan.FromHours(options.Value.ExpiredGraceHours);
        var idleBefore = now - TimeSpan.FromMinutes(sessions.Value.IdleMinutes);
        var startedBefore = now - TimeSpan.FromHours(sessions.Value.AbsoluteHours);
        // Sessions are keyed by the hash of their id, not by tenant: this background job is the one place that
        // reads the table whole (never a request path), with the filter applied by the service.
        var table = await tables.GetTableAsync(TableNames.Sessions, ct);
        var filter = TableClient.CreateQueryFilter<SessionEntity>(s => s.LastSeenAt < idleBefore || s.CreatedAt < startedBefore);
        var purged = 0;
        await foreach (var session in table.QueryAsync<SessionEntity>(filter, cancellationToken: ct))
        {
            if ((await tables.TryDeleteAsync(TableNames.Sessions, session.PartitionKey, session.RowKey, session.ETag, ct)).Succeeded) purged++;
        }
        return purged;
    }
}

/// <summary>
/// Dead token families: revoked ones (also every family of a revoked app authorization) once
/// <c>Retention:RevokedDays</c> have passed, so admins can still see recent revocations; expired ones (idle or
/// past their maximum life) after the grace period. Each goes with its index row under its grant.
/// </summary>
public sealed class DeadTokenFamiliesPurger(TableStore tables, TenantStore tenants, IOptions<OAuthOptions> oauth, IOptions<RetentionOptions> options, TimeProvider time) : IRetentionPurger
{
    public string Name => "dead_token_families";

    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var revokedBefore = now - TimeSpan.FromDays(options.Value.RevokedDays);
        var graceEnd = now - TimeSpan.FromHours(options.Value.ExpiredGraceHours);
        bool Dead(TokenFamilyEntity f) =>
            f.RevokedAt is { } revoked ? revoked < revokedBefore
            : f.LastUsedAt + TimeSpan.FromDays(oauth.Value.RefreshIdleDays) < graceEnd || f.CreatedAt + TimeSpan.FromDays(oauth.Value.RefreshMaxDays) < graceEnd;

        var purged = 0;
        foreach (var tenant in await tenants.ListAllAsync(ct))
        {
            var table = await tables.GetTableAsync(TableNames.Grants, ct);
            var dead = new List<TokenFamilyEntity>();
            await foreach (var family in table.QueryAsync<TokenFamilyEntity>(RetentionRows.PrefixFilter(tenant.PartitionKey, TokenFamilyEntity.RowKeyPrefix), cancellationToken: ct))
                if (Dead(family)) dead.Add(family);
            foreach (var family in dead)
            {
                await tables.TryDeleteAsync(TableNames.Grants, tenant.PartitionKey,
                    GrantFamilyEntity.PrefixFor(family.UserId, family.ClientId) + family.FamilyId, ETag.All, ct);
                if ((await tables.TryDeleteAsync(TableNames.Grants, tenant.PartitionKey, family.RowKey, family.ETag, ct)).Succeeded) purged++;
            }
        }
        return purged;
    }
}

/// <summary>Audit entries past <c>Audit:RetentionDays</c>, tenant by tenant (the existing <see cref="AuditRetention"/>).</summary>
public sealed class AuditEntriesPurger(AuditRetention audit, TenantStore tenants) : IRetentionPurger
{
    public string Name => "audit_entries";

    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        var purged = 0;
        foreach (var tenant in await tenants.ListAllAsync(ct)) purged += await audit.PurgeAsync(new TenantId(tenant.PartitionKey), ct);
        return purged;
    }
}

internal static class RetentionRows
{
    public static string PrefixFilter(string partition, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");

    /// <summary>Deletes the rows of one partition under a RowKey prefix that match; each delete is ETag-conditional (a row changed since the read stays).</summary>
    public static async Task<int> DeleteAsync<T>(TableStore tables, string table, string partition, string prefix, Func<T, bool> expired, CancellationToken ct)
        where T : class, ITableEntity, new()
    {
        var client = await tables.GetTableAsync(table, ct);
        var doomed = new List<T>();
        await foreach (var row in client.QueryAsync<T>(PrefixFilter(partition, prefix), cancellationToken: ct))
            if (expired(row)) doomed.Add(row);
        var purged = 0;
        foreach (var row in doomed)
            if ((await tables.TryDeleteAsync(table, partition, row.RowKey, row.ETag, ct)).Succeeded) purged++;
        return purged;
    }
}

/// <summary>
/// Dynamically registered clients (and cached metadata documents) unused for 30 days: already unknown at use,
/// so deleting their rows changes no answer (issue 12: unused registrations expire).
/// </summary>
public sealed class UnusedGlobalClientsPurger(OAuth.Clients.GlobalClientStore clients) : IRetentionPurger
{
    public string Name => "unused_dynamic_clients";

    public Task<int> PurgeAsync(CancellationToken ct) => clients.PurgeUnusedAsync(clients.UnusedCutoff(), ct);
}
