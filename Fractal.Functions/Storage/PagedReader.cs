using Azure.Data.Tables;

namespace Fractal.Functions.Storage;

/// <summary>Pages through a <see cref="RangeQuery"/> with opaque, signed cursors.</summary>
public sealed class PagedReader(TableStore tables, PageCursorCodec cursors)
{
    public const int MaxPageSize = 1000;

    /// <exception cref="InvalidCursorException">The cursor was not issued for this query.</exception>
    public async Task<TablePage<T>> ReadPageAsync<T>(RangeQuery query, int pageSize, string? cursor, CancellationToken ct = default)
        where T : class, ITableEntity, new()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        string? continuation = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            continuation = await cursors.TryDecodeAsync(query.Scope, cursor, ct).ConfigureAwait(false)
                           ?? throw new InvalidCursorException();
        }

        var client = await tables.GetTableAsync(query.Table, ct).ConfigureAwait(false);
        var items = new List<T>(pageSize);
        string? next = continuation;
        // The service may return fewer rows than asked (or none) with a continuation; keep reading until the
        // page is full or the range ends, so callers see full pages.
        do
        {
            var want = pageSize - items.Count;
            var page = await client.QueryAsync<T>(query.Filter, maxPerPage: want, cancellationToken: ct)
                .AsPages(next, want).FirstAsync(ct).ConfigureAwait(false);
            items.AddRange(page.Values.Take(want));
            next = page.ContinuationToken;
        } while (items.Count < pageSize && next is not null);

        var nextCursor = next is null ? null : await cursors.EncodeAsync(query.Scope, next, ct).ConfigureAwait(false);
        return new TablePage<T>(items, nextCursor);
    }
}
