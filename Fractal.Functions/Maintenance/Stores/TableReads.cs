using Azure.Data.Tables;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores;

/// <summary>Internal (non-paged) reads of one bounded RowKey range of one partition.</summary>
internal static class TableReads
{
    /// <summary>
    /// Every row in [from, to) of the partition (that also passes <paramref name="where"/>, an OData condition on the
    /// rows' columns applied by the service), at most <paramref name="max"/>.
    /// </summary>
    public static async Task<List<T>> ReadRangeAsync<T>(this TableStore tables, string table, string partition, string from, string to, int max, CancellationToken ct,
        string? where = null)
        where T : class, ITableEntity, new()
    {
        var client = await tables.GetTableAsync(table, ct).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}") + (where is null ? "" : $" and ({where})");
        var rows = new List<T>();
        await foreach (var row in client.QueryAsync<T>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: ct).ConfigureAwait(false))
        {
            rows.Add(row);
            if (rows.Count >= max) break;
        }
        return rows;
    }

    public static Task<List<T>> ReadPrefixAsync<T>(this TableStore tables, string table, string partition, string prefix, int max, CancellationToken ct)
        where T : class, ITableEntity, new() =>
        tables.ReadRangeAsync<T>(table, partition, prefix, Keys.After(prefix), max, ct);
}
