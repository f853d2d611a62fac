using Azure.Data.Tables;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Identity;
using Fractal.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Audit;

/// <summary>
/// Purges a tenant's audit entries older than <c>Audit:RetentionDays</c>. Old entries are a RowKey range
/// (keys are inverted time, so the oldest sort last): one range read and batched deletes, no scan. A bundle row
/// sorts at its newest entry, so it goes once all of its entries are past the period. Returns the entries purged.
/// </summary>
public sealed class AuditRetention(TableStore tables, PagedReader reader, DeferredAuditWriter deferred, IOptions<AuditOptions> options, TimeProvider time)
{
    public async Task<int> PurgeAsync(TenantId tenant, CancellationToken ct = default)
    {
        // Like every reader of the log: this instance's deferred entries first. An entry stamped before the cutoff but
        // still queued would otherwise be written after the purge and outlive the retention period by a whole run.
        await deferred.FlushAsync(ct);
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays);
        var query = new RangeQuery(TableNames.AuditLog, tenant.Value, $"{DateTimeOffset.MaxValue.UtcTicks - cutoff.UtcTicks:D19}", "~");
        var purged = 0;
        while (true)
        {
            var page = await reader.ReadPageAsync<AuditEntity>(query, 100, null, ct);
            if (page.Items.Count == 0) return purged;
            await tables.TrySubmitAsync(TableNames.AuditLog,
                page.Items.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, Azure.ETag.All)).ToList(), ct);
            purged += AuditBundles.CountEntries(page.Items); // entries, not rows: a bundle holds several
        }
    }
}
