using System.Globalization;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Audit;

/// <summary>Filters of the Transactions log. The period is a RowKey range (rows are keyed by inverted time); the rest filter that range.</summary>
public sealed record AuditFilter(string? UserId = null, string? ClientId = null, string? Tool = null, string? Outcome = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    // The period is checked here too: a bundle row sorts at its newest entry, so the RowKey range brings in
    // bundles with entries before From, and is widened to reach bundles with entries before To (AuditBundles).
    public bool Matches(AuditEntity e) =>
        (UserId is null || e.UserId == UserId) && (ClientId is null || e.ClientId == ClientId)
        && (Tool is null || e.Tool == Tool) && (Outcome is null || string.Equals(e.Outcome, Outcome, StringComparison.OrdinalIgnoreCase))
        && (From is null || e.At >= From) && (To is null || e.At <= To);
}

/// <summary>
/// Reads the audit log newest first within one tenant's partition, one entry per call: bundle rows
/// (<see cref="AuditBundles"/>) are expanded. A page can end inside a bundle, so the cursor is a position
/// (a row and how many of its entries were read), signed for this period like every other cursor.
/// </summary>
public sealed class AuditQuery(TableStore tables, PageCursorCodec cursors, AuditLog log)
{
    /// <summary>At most this many entries are examined to fill one page of a narrow filter; the cursor continues from there.</summary>
    private const int ScanBudget = 2000;

    /// <summary>Rows asked for in the first read of a page: bundles hold ~30 entries each, single rows one.</summary>
    private const int FirstReadRows = 25;

    /// <exception cref="InvalidCursorException">The cursor was not issued for this period.</exception>
    public async Task<(IReadOnlyList<AuditEntity> Items, string? NextCursor)> ReadAsync(TenantId tenant, AuditFilter filter, int pageSize, string? cursor, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, PagedReader.MaxPageSize);
        await log.FlushDeferredAsync(ct); // this instance's deferred entries are part of what it shows
        // A bundle holding entries up to To can sort up to MaxSpan after it.
        var newest = filter.To is { } to && to < DateTimeOffset.MaxValue - AuditBundles.MaxSpan ? to + AuditBundles.MaxSpan : DateTimeOffset.MaxValue;
        var period = new RangeQuery(TableNames.AuditLog, tenant.Value, KeyOf(newest), KeyOf(filter.From ?? DateTimeOffset.MinValue.AddTicks(1)) + "~");
        var start = cursor is null ? new Position(period.RowKeyFrom, 0) : await DecodeAsync(period, cursor, ct);
        var rows = period with { RowKeyFrom = start.RowKey };

        var client = await tables.GetTableAsync(TableNames.AuditLog, ct);
        var items = new List<AuditEntity>(pageSize);
        var scanned = 0;
        var rowsRead = 0;
        string? continuation = null;
        do
        {
            // As many rows as the page still needs if each held one entry; after the first read, scaled by the
            // entries per row seen so far, so a page of bundles does not download dozens of them.
            var needed = pageSize - items.Count;
            var want = rowsRead == 0 ? Math.Min(needed + 1, FirstReadRows) : Math.Clamp((int)Math.Ceiling(needed * (double)rowsRead / Math.Max(scanned, 1)) + 1, 1, 1000);
            var page = await client.QueryAsync<AuditEntity>(rows.Filter, maxPerPage: want, cancellationToken: ct).AsPages(continuation, want).FirstAsync(ct);
            foreach (var row in page.Values)
            {
                var entries = AuditBundles.Expand(row);
                rowsRead++;
                for (var i = row.RowKey == start.RowKey ? start.Skip : 0; i < entries.Count; i++)
                {
                    if (items.Count == pageSize || scanned == ScanBudget) return (items, await EncodeAsync(period, new Position(row.RowKey, i), ct));
                    scanned++;
                    if (filter.Matches(entries[i])) items.Add(entries[i]);
                }
            }
            continuation = page.ContinuationToken;
        } while (continuation is not null);
        return (items, null);
    }

    /// <summary>RowKey of the newest instant of <paramref name="at"/> (inverted ticks, as AuditLog writes them).</summary>
    private static string KeyOf(DateTimeOffset at) => $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}";

    /// <summary>Where the next page starts: the row, and how many of its entries the pages before have shown.</summary>
    private sealed record Position(string RowKey, int Skip);

    private Task<string> EncodeAsync(RangeQuery period, Position at, CancellationToken ct) =>
        cursors.EncodeAsync(period.Scope, $"{at.Skip.ToString(CultureInfo.InvariantCulture)} {at.RowKey}", ct);

    private async Task<Position> DecodeAsync(RangeQuery period, string cursor, CancellationToken ct)
    {
        var text = await cursors.TryDecodeAsync(period.Scope, cursor, ct);
        var space = text?.IndexOf(' ') ?? -1;
        if (text is null || space <= 0
            || !int.TryParse(text.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var skip)) throw new InvalidCursorException();
        var rowKey = text[(space + 1)..];
        // Signed for this period, so always inside it; checked anyway, as the range's start must never move before it.
        if (string.CompareOrdinal(rowKey, period.RowKeyFrom) < 0 || string.CompareOrdinal(rowKey, period.RowKeyTo) >= 0) throw new InvalidCursorException();
        return new Position(rowKey, skip);
    }
}
