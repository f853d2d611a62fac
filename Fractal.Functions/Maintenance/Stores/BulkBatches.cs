using Azure.Data.Tables;

namespace Fractal.Functions.Maintenance.Stores;

/// <summary>
/// Splits rows of one partition into entity-group transactions that respect both limits of Table Storage:
/// at most 100 actions and at most 4 MiB of payload (a busy month's KPI rollup row alone can be hundreds of KB).
/// </summary>
internal static class BulkBatches
{
    public const int MaxActions = 100;
    public const long MaxBytes = 3 * 1024 * 1024; // under the 4 MiB limit, leaving room for the multipart envelope

    public static IEnumerable<List<ITableEntity>> Chunk(IEnumerable<ITableEntity> rows)
    {
        var batch = new List<ITableEntity>();
        long bytes = 0;
        foreach (var row in rows)
        {
            var size = EstimateBytes(row);
            if (batch.Count > 0 && (batch.Count == MaxActions || bytes + size > MaxBytes))
            {
                yield return batch;
                (batch, bytes) = ([], 0);
            }
            batch.Add(row);
            bytes += size;
        }
        if (batch.Count > 0) yield return batch;
    }

    /// <summary>UTF-16 size of the keys and string columns plus a fixed allowance per property (an over-estimate).</summary>
    private static long EstimateBytes(ITableEntity row)
    {
        long size = 2 * (row.PartitionKey.Length + row.RowKey.Length) + 256;
        if (row is TableEntity entity) size += entity.Sum(p => 64 + 2L * (p.Value as string)?.Length ?? 16);
        else if (row is IndexRow index) size += 2L * (index.Ref.Length + (index.Data?.Length ?? 0));
        return size;
    }
}
