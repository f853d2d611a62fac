using Azure;
using Azure.Data.Tables;
using Fractal.Functions.Storage;

namespace Fractal.Functions.OAuth.Clients;

/// <summary>
/// The <c>GlobalClients</c> table: dynamically registered clients and cached client ID metadata documents.
/// Lookups are one point read. A client unused for <see cref="UnusedLifetime"/> is treated as unknown at
/// once, and its row is deleted by <see cref="PurgeUnusedAsync"/> (a retention job; the one scan here).
/// </summary>
public sealed class GlobalClientStore(TableStore tables, TimeProvider time)
{
    /// <summary>Registrations (and cached documents) unused this long expire (Claude registers on every new connection).</summary>
    public static readonly TimeSpan UnusedLifetime = TimeSpan.FromDays(30);

    /// <summary>"Last used" is written at most this often, so a busy client costs no write per request.</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromDays(1);

    /// <summary>Adds a new row; false when the key is taken (a fresh random client_id never is).</summary>
    public async Task<bool> TryAddAsync(GlobalClientEntity client, CancellationToken ct = default) =>
        (await tables.TryAddAsync(TableNames.GlobalClients, client, ct)).Succeeded;

    /// <summary>Writes a (re)fetched metadata document's row.</summary>
    public Task SaveAsync(GlobalClientEntity client, CancellationToken ct = default) =>
        tables.UpsertAsync(TableNames.GlobalClients, client, ct);

    /// <summary>The row of this client_id, or null; an expired one (unused for 30 days) counts as absent.</summary>
    public async Task<GlobalClientEntity?> FindAsync(string clientId, CancellationToken ct = default)
    {
        var row = await tables.FindAsync<GlobalClientEntity>(TableNames.GlobalClients, ClientKey.Of(clientId), "", ct);
        if (row is null || row.ClientId != clientId) return null;
        return IsExpired(row, time.GetUtcNow()) ? null : row;
    }

    public static bool IsExpired(GlobalClientEntity row, DateTimeOffset now) => now - row.LastUsedAt > UnusedLifetime;

    /// <summary>Records a use, when the last recorded one is more than a day old (a merge of one column, any ETag).</summary>
    public async Task TouchAsync(GlobalClientEntity row, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        if (now - row.LastUsedAt < TouchInterval) return;
        var table = await tables.GetTableAsync(TableNames.GlobalClients, ct);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { [nameof(GlobalClientEntity.LastUsedAt)] = now },
                ETag.All, TableUpdateMode.Merge, ct);
            row.LastUsedAt = now;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Purged meanwhile: the next lookup finds nothing, as it should.
        }
    }

    /// <summary>The cutoff for <see cref="PurgeUnusedAsync"/>: now (from the app's TimeProvider) minus 30 days.</summary>
    public DateTimeOffset UnusedCutoff() => time.GetUtcNow() - UnusedLifetime;

    /// <summary>
    /// Deletes every client last used before <paramref name="unusedSince"/> (normally <see cref="UnusedCutoff"/>)
    /// and returns how many. A filtered scan of a table that only holds live clients: for a retention job,
    /// never a request path. Grants that named a purged client stay in their tenant until revoked or expired;
    /// they can no longer be used because the client cannot authenticate.
    /// </summary>
    public async Task<int> PurgeUnusedAsync(DateTimeOffset unusedSince, CancellationToken ct = default)
    {
        var table = await tables.GetTableAsync(TableNames.GlobalClients, ct);
        var purged = 0;
        var filter = TableClient.CreateQueryFilter<GlobalClientEntity>(e => e.LastUsedAt < unusedSince);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            try
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, ct);
                purged++;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }
        }
        return purged;
    }
}
