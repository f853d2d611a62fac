using System.Collections.Concurrent;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.Tenancy;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores;

/// <summary>
/// Settings in <c>MntSettings</c> (RowKey <c>settings</c>), cached per process for a minute: every
/// work-order write needs the time zone, and settings change rarely (a change of zone or calendar is a
/// rollup rebuild anyway).
/// </summary>
internal sealed class TenantSettingsService(TableStore tables, TimeProvider time) : ITenantSettingsService
{
    public const string RowKey = "settings";
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (TenantSettings Settings, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<TenantSettings> GetAsync(TenantId tenant, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(tenant.Value, out var cached) && cached.Until > now) return cached.Settings;
        var row = await tables.FindAsync<TableEntity>(TableNames.MaintenanceSettings, tenant.Value, RowKey, ct).ConfigureAwait(false);
        var settings = row is null ? TenantSettings.Default : RecordCodec.Decode(row, MaintenanceJson.Default.TenantSettings);
        _cache[tenant.Value] = (settings, now + CacheFor);
        return settings;
    }

    public async Task SaveAsync(TenantId tenant, TenantSettings settings, CancellationToken ct = default)
    {
        _ = settings.Clock(); // refuse an unknown time zone before storing it
        await tables.UpsertAsync(TableNames.MaintenanceSettings, Encode(tenant.Value, settings), ct).ConfigureAwait(false);
        _cache[tenant.Value] = (settings, time.GetUtcNow() + CacheFor);
    }

    internal static TableEntity Encode(string partition, TenantSettings settings) =>
        RecordCodec.Encode(partition, RowKey, "settings", settings, MaintenanceJson.Default.TenantSettings);
}
