using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Meters;

namespace Fractal.Functions.Maintenance.Api;

/// <summary>Meters and readings: <c>list_meters</c>, <c>record_meter_reading</c>.</summary>
public interface IMeterService
{
    Task<DomainResult<Meter>> GetAsync(TenantId tenant, string meterId, CancellationToken ct = default);

    /// <summary>Meters of one asset (exact), or of every asset when null; each with its last reading and monthly average.</summary>
    Task<DomainResult<Page<Meter>>> ListAsync(TenantId tenant, string? assetId, PageRequest page, CancellationToken ct = default);

    /// <summary>Readings of one meter in [from, to), oldest first.</summary>
    Task<DomainResult<Page<MeterReading>>> ReadingsAsync(TenantId tenant, string meterId, DateTimeOffset? from, DateTimeOffset? to, PageRequest page, CancellationToken ct = default);

    /// <summary>
    /// Appends a reading (at <paramref name="at"/>, default now) and makes due every meter-triggered pending
    /// task whose threshold it reached; the result names them so the caller can say so.
    /// </summary>
    Task<DomainResult<ReadingRecorded>> RecordReadingAsync(TenantId tenant, string meterId, double value, string userId, DateTimeOffset? at = null, CancellationToken ct = default);

    Task<DomainResult<Meter>> CreateAsync(TenantId tenant, Meter meter, CancellationToken ct = default);
}
