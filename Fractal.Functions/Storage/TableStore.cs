using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace Fractal.Functions.Storage;

/// <summary>
/// The one way to reach a table. A missing table is created on first use and the check is cached per
/// process, so start-up does no storage work (a cold instance must answer metadata fast).
/// </summary>
public sealed class TableStore(TableServiceClient service)
{
    /// <summary>The service key of the store bulk loads write through (<see cref="DependencyClientOptions.ForBulkLoads"/>).</summary>
    public const string BulkLoads = "bulk-loads";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);

    public TableServiceClient Service => service;

    public async ValueTask<TableClient> GetTableAsync(string tableName, CancellationToken cancellationToken = default)
    {
        var lazy = _tables.GetOrAdd(tableName, name => new Lazy<Task<TableClient>>(() => CreateAsync(name)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (!cancellationToken.IsCancellationRequested)
        {
            // A failed creation (storage unreachable) must not be remembered: the next call tries again.
            _tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(tableName, lazy));
            throw;
        }
    }

    private async Task<TableClient> CreateAsync(string name)
    {
        var client = service.GetTableClient(name);
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    }

    /// <summary>Point read (PartitionKey + RowKey); null when the row does not exist.</summary>
    public async Task<T?> FindAsync<T>(string table, string partitionKey, string rowKey, CancellationToken ct = default)
        where T : class, ITableEntity, new()
    {
        var client = await GetTableAsync(table, ct).ConfigureAwait(false);
        var response = await client.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: ct).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Inserts a row; <see cref="WriteStatus.Conflict"/> when it already exists.</summary>
    public async Task<WriteResult> TryAddAsync<T>(string table, T entity, CancellationToken ct = default)
        where T : class, ITableEntity
    {
        var client = await GetTableAsync(table, ct).ConfigureAwait(false);
        try
        {
            var response = await client.AddEntityAsync(entity, ct).ConfigureAwait(false);
            entity.ETag = response.Headers.ETag ?? default;
            return new WriteResult(WriteStatus.Succeeded, entity.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return WriteResult.Conflict;
        }
    }

    /// <summary>
    /// Replaces a row only if it still carries <paramref name="ifMatch"/> (optimistic concurrency):
    /// a stale ETag gives <see cref="WriteStatus.Conflict"/>, a vanished row <see cref="WriteStatus.NotFound"/>.
    /// </summary>
    public async Task<WriteResult> TryReplaceAsync<T>(string table, T entity, ETag ifMatch, CancellationToken ct = default)
        where T : class, ITableEntity
    {
        var client = await GetTableAsync(table, ct).ConfigureAwait(false);
        try
        {
            var response = await client.UpdateEntityAsync(entity, ifMatch, TableUpdateMode.Replace, ct).ConfigureAwait(false);
            entity.ETag = response.Headers.ETag ?? default;
            return new WriteResult(WriteStatus.Succeeded, entity.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return WriteResult.Conflict;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return WriteResult.NotFound;
        }
    }

    /// <summary>Inserts or replaces unconditionally; for rows that only one writer owns.</summary>
    public async Task UpsertAsync<T>(string table, T entity, CancellationToken ct = default)
        where T : class, ITableEntity
    {
        var client = await GetTableAsync(table, ct).ConfigureAwait(false);
        var response = await client.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct).ConfigureAwait(false);
        entity.ETag = response.Headers.ETag ?? default;
    }

    /// <summary>Deletes a row if it still carries <paramref name="ifMatch"/> (<see cref="ETag.All"/> for any).</summary>
    public async Task<WriteResult> TryDeleteAsync(string table, string partitionKey, string rowKey, ETag ifMatch, CancellationToken ct = default)
    {
        var client = await GetTableAsync(table, ct).ConfigureAwait(false);
        try
        {
            var response = await client.DeleteEntityAsync(partitionKey, rowKey, ifMatch, ct).ConfigureAwait(false);
            return response.Status == 404 ? WriteResult.NotFound : new WriteResult(WriteStatus.Succeeded, default);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return WriteResult.Conflict;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return WriteResult.NotFound;
        }
    }

    /// <summary>
    /// Submits an entity group transaction (all rows in one partition, at most 100): all or nothing.
    /// A failed precondition (existing row on add, stale ETag) gives <see cref="WriteStatus.Conflict"/>.
    /// </summary>
    public async Task<WriteResult> TrySubmitAsync(string table, IReadOnlyCollection<TableTransactionAction> actions, CancellationToken ct = default)
    {
        if (actions.Count == 0) return new WriteResult(WriteStatus.Succeeded, default);
        var client = await GetTableAsync(table, ct).ConfigureAwait(false);
        try
        {
            await client.SubmitTransactionAsync(actions, ct).ConfigureAwait(false);
            return new WriteResult(WriteStatus.Succeeded, default);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return WriteResult.Conflict;
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            return WriteResult.NotFound;
        }
    }
}
