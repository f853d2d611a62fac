using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores;

/// <summary>
/// Pages through one index range, keeping the rows that pass the secondary filters. Each storage read asks
/// for no more rows than the page still lacks, so no matching row is ever skipped by the cursor; a call
/// stops after <see cref="MaxRowsScanned"/> index rows and returns what it has with a cursor to go on.
/// </summary>
internal sealed class FilteredPager(PagedReader reader)
{
    public const int MaxRowsScanned = 2000;

    public Task<DomainResult<Page<T>>> ReadAsync<T>(RangeQuery query, PageRequest page, Func<IndexRow, T> map, Func<T, bool> keep, CancellationToken ct) =>
        ReadAsync<IndexRow, T>(query, page, map, keep, ct);

    public async Task<DomainResult<Page<T>>> ReadAsync<TRow, T>(RangeQuery query, PageRequest page, Func<TRow, T> map, Func<T, bool> keep, CancellationToken ct)
        where TRow : class, Azure.Data.Tables.ITableEntity, new()
    {
        if (page.Size is < 1 or > PageRequest.MaxSize) return MaintenanceErrors.Invalid("pageSize", $"1 to {PageRequest.MaxSize}.");
        var items = new List<T>(page.Size);
        var cursor = page.Cursor;
        var scanned = 0;
        do
        {
            TablePage<TRow> read;
            try
            {
                read = await reader.ReadPageAsync<TRow>(query, page.Size - items.Count, cursor, ct).ConfigureAwait(false);
            }
            catch (InvalidCursorException)
            {
                return MaintenanceErrors.InvalidCursor();
            }
            scanned += read.Items.Count;
            items.AddRange(read.Items.Select(map).Where(keep));
            cursor = read.NextCursor;
        } while (cursor is not null && items.Count < page.Size && scanned < MaxRowsScanned);
        return new Page<T>(items, cursor);
    }
}
