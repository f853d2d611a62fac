using Fractal.Functions.Identity;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Audit;

/// <summary>Filters of the Transactions log. The period is a RowKey range (rows are keyed by inverted time); the rest filter that range.</summary>
public sealed record AuditFilter(string? UserId = null, string? ClientId = null, string? Tool = null, string? Outcome = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    public bool Matches(AuditEntity e) =>
        (UserId is null || e.UserId == UserId) && (ClientId is null || e.ClientId == ClientId)
        && (Tool is null || e.Tool == Tool) && (Outcome is null || string.Equals(e.Outcome, Outcome, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Reads the audit log newest first within one tenant's partition.</summary>
public sealed class AuditQuery(PagedReader reader, AuditLog log)
{
    /// <summary>At most this many rows are read to fill one page of a narrow filter; the cursor continues from there.</summary>
    private const int ScanBudget = 2000;

    public async Task<(IReadOnlyList<AuditEntity> Items, string? NextCursor)> ReadAsync(TenantId tenant, AuditFilter filter, int pageSize, string? cursor, CancellationToken ct)
    {
        await log.FlushDeferredAsync(ct); // this instance's deferred entries are part of what it shows
        var query = new RangeQuery(TableNames.AuditLog, tenant.Value, KeyOf(filter.To ?? DateTimeOffset.MaxValue), KeyOf(filter.From ?? DateTimeOffset.MinValue.AddTicks(1)) + "~");
        var items = new List<AuditEntity>(pageSize);
        var scanned = 0;
        do
        {
            // Never read more rows than matches still needed: then every match read is returned, and the
            // cursor after the read is exactly where the next page must start.
            var page = await reader.ReadPageAsync<AuditEntity>(query, pageSize - items.Count, cursor, ct);
            scanned += page.Items.Count;
            cursor = page.NextCursor;
            items.AddRange(page.Items.Where(filter.Matches));
        } while (items.Count < pageSize && cursor is not null && scanned < ScanBudget);
        return (items, cursor);
    }

    /// <summary>RowKey of the newest instant of <paramref name="at"/> (inverted ticks, as AuditLog writes them).</summary>
    private static string KeyOf(DateTimeOffset at) => $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}";
}
