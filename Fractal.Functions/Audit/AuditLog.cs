using Fractal.Functions.Identity;
using Fractal.Functions.Storage;

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
/// RowKey = inverted UTC ticks + a random suffix, so a range query reads newest first.
/// </summary>
public sealed class AuditLog(TableStore tables, TimeProvider time)
{
    public async Task WriteAsync(TenantId tenant, AuditEntry entry, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await tables.TryAddAsync(TableNames.AuditLog, new AuditEntity
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
        }, ct);
    }

    public Task<TablePage<AuditEntity>> ReadNewestFirstAsync(PagedReader reader, TenantId tenant, int pageSize, string? cursor, CancellationToken ct = default) =>
        reader.ReadPageAsync<AuditEntity>(new RangeQuery(TableNames.AuditLog, tenant.Value, "0", ":"), pageSize, cursor, ct);
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
}
