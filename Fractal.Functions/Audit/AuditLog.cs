using Fractal.Functions.Identity;
using Fractal.Functions.Storage;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Audit;

public enum AuditOutcome { Success, Failure, Refused }

/// <summary>One audited event. Never put a secret, password, code or token in any field.</summary>
public sealed record AuditEntry(
    string Event,
    AuditOutcome Outcome,
    string? UserId = null,
    string? ClientId = null,
    string? Detail = null,
    string? ClientIp = null,
    string? Tool = null,
    int? DurationMs = null);

/// <summary>
/// The audit log (the "Transactions log" admins read): <c>AuditLog</c> table, PartitionKey = tenant id,
/// RowKey = inverted UTC ticks + a random suffix, so a range query reads newest first. Deferred entries are stored
/// several to a row (<see cref="AuditBundles"/>); <see cref="AuditQuery"/> reads them back one by one.
/// </summary>
public sealed class AuditLog(TableStore tables, TimeProvider time, DeferredAuditWriter deferred, ILogger<AuditLog> log)
{
    /// <summary>Writes the entry before returning: writes, refusals, failures and security events.</summary>
    public async Task WriteAsync(TenantId tenant, AuditEntry entry, CancellationToken ct = default) =>
        await tables.TryAddAsync(TableNames.AuditLog, Row(tenant, entry), ct);

    /// <summary>
    /// For a change that is already stored (a consumer created, a secret rotated, a consent, a write tool): written
    /// now like <see cref="WriteAsync"/>, but when storage fails at this very moment the entry goes with the next
    /// deferred batch instead of failing the request. Failing it would answer 503 "nothing was changed" for a change
    /// that was made, and lose what is shown only once (a new secret, a code): half a result, proved by
    /// Reliability/HalfResultTests (a storage cut just before the audit write).
    /// </summary>
    public async Task WriteAfterChangeAsync(TenantId tenant, AuditEntry entry, CancellationToken ct = default)
    {
        var row = Row(tenant, entry);
        try
        {
            await tables.TryAddAsync(TableNames.AuditLog, row, ct);
        }
        catch (Exception e) when (StorageFaults.IsTransient(e, ct))
        {
            if (deferred.TryEnqueue(row))
                log.LogWarning("Audit entry {Event} deferred: storage failed after the change was stored", entry.Event);
            else
                log.LogError(e, "Audit entry {Event} lost: storage failed after the change was stored and the deferred queue is full", entry.Event);
        }
    }

    /// <summary>
    /// For successful reads (read-tool calls, tokens issued) and failed sign-ins (a write on that path only for real
    /// accounts would tell by timing which e-mails have one): the entry is stamped now and written with the next
    /// batch, off the request path (loss bound: <see cref="DeferredAuditWriter"/>).
    /// </summary>
    public Task DeferAsync(TenantId tenant, AuditEntry entry, CancellationToken ct = default)
    {
        var row = Row(tenant, entry);
        return deferred.TryEnqueue(row) ? Task.CompletedTask : tables.TryAddAsync(TableNames.AuditLog, row, ct);
    }

    /// <summary>Writes the deferred entries of this instance now: every reader of the log calls it first.</summary>
    public Task FlushDeferredAsync(CancellationToken ct = default) => deferred.FlushAsync(ct);

    private AuditEntity Row(TenantId tenant, AuditEntry entry)
    {
        var now = time.GetUtcNow();
        return new AuditEntity
        {
            PartitionKey = tenant.Value,
            RowKey = $"{DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks:D19}|{Guid.NewGuid():N}",
            At = now,
            Event = entry.Event,
            Outcome = entry.Outcome.ToString(),
            UserId = entry.UserId,
            ClientId = entry.ClientId,
            Detail = entry.Detail,
            ClientIp = entry.ClientIp,
            Tool = entry.Tool,
            DurationMs = entry.DurationMs,
        };
    }
}

public sealed class AuditEntity : StoredEntity
{
    public DateTimeOffset At { get; set; }
    public string Event { get; set; } = "";
    public string Outcome { get; set; } = "";
    public string? UserId { get; set; }
    public string? ClientId { get; set; }
    public string? Detail { get; set; }
    public string? ClientIp { get; set; }
    public string? Tool { get; set; }
    public int? DurationMs { get; set; }

    /// <summary>On a bundle row only: its entries as JSON (<see cref="AuditBundles"/>); null on a row that is one entry.</summary>
    public string? Entries { get; set; }
}
