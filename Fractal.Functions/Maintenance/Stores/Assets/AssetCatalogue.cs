using System.Text.Json;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores.Assets;

/// <summary>
/// This process's copy of a tenant's asset hierarchy (the <c>x|path|</c> range of <c>MntAssets</c>), kept for
/// <see cref="CacheFor"/> like the tenant settings, so a warm instance finds an asset, its path or a KPI scope
/// without a storage round trip.
/// <para>
/// Why a copy is sound: assets are insert-only. Nothing changes an asset once created (code, path, name, level,
/// flags, custom fields: there is no update operation, and assets do not move), so a cached asset is never a
/// stale version of itself. What a copy can miss is <b>presence</b>: an asset created on another instance after
/// the copy was read, or rows removed by a demo-plant reload on another instance. Lookups by code that miss the
/// copy fall back to the point read (and drop the copy when that finds an asset the copy lacked); the KPI engine
/// re-reads when a rollup names an asset the copy lacks. So, for at most <see cref="CacheFor"/>: an asset created
/// on another instance may be missing from a KPI scope (until one of its work orders reaches the rollups), and an
/// asset removed on another instance may still be found. This instance's own writes (asset creation, demo load)
/// drop its copy at once.
/// </para>
/// <para>
/// Tenant isolation: the copy is keyed by the tenant id and filled only from that tenant's partition. Bounded:
/// a tenant with more than <see cref="MaxAssetsPerTenant"/> assets is not copied (its callers read storage as
/// before), and the copies together hold at most <see cref="MaxCachedAssets"/> assets (the oldest go first).
/// </para>
/// </summary>
public sealed class AssetCatalogue(TableStore tables, TimeProvider time)
{
    internal static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    internal const int MaxAssetsPerTenant = 5_000;
    internal const int MaxCachedAssets = 50_000;

    private readonly ProcessCopies<Snapshot> _copies = new(time, CacheFor, MaxCachedAssets, s => s.InPathOrder.Count);

    /// <summary>One tenant's assets: by code, and in path order (a subtree is a contiguous run).</summary>
    internal sealed class Snapshot(IReadOnlyList<Asset> inPathOrder, bool fromCache)
    {
        public IReadOnlyList<Asset> InPathOrder { get; } = inPathOrder;
        public IReadOnlyDictionary<string, Asset> ById { get; } = inPathOrder.ToDictionary(a => a.Id, StringComparer.Ordinal);

        /// <summary>True when this came from the process's copy (it may miss assets created elsewhere since).</summary>
        public bool FromCache { get; } = fromCache;

        public IEnumerable<Asset> Subtree(string rootPath) =>
            rootPath.Length == 0 ? InPathOrder : InPathOrder.Where(a => a.Path.StartsWith(rootPath, StringComparison.Ordinal));

        internal Snapshot Cached() => new(InPathOrder, fromCache: true);
    }

    /// <summary>
    /// The tenant's assets: this process's copy while fresh, else one range read that refreshes the copy.
    /// Null when the tenant has more than <see cref="MaxAssetsPerTenant"/> assets: the caller reads storage itself.
    /// </summary>
    internal Task<Snapshot?> GetAsync(TenantId tenant, CancellationToken ct) => _copies.GetAsync(tenant.Value, ct => ReadRowsAsync(tenant, ct), ct, s => s.Cached());

    /// <summary>Reads the tenant's assets from storage now (and keeps the copy), whatever the copy holds.</summary>
    internal Task<Snapshot?> ReadAsync(TenantId tenant, CancellationToken ct) => _copies.ReadAsync(tenant.Value, ct => ReadRowsAsync(tenant, ct), ct, s => s.Cached());

    /// <summary>Drops the tenant's copy: this instance wrote assets (or found one its copy lacked).</summary>
    internal void Invalidate(TenantId tenant) => _copies.Invalidate(tenant.Value);

    private async Task<Snapshot?> ReadRowsAsync(TenantId tenant, CancellationToken ct)
    {
        var rows = await tables.ReadPrefixAsync<IndexRow>(TableNames.Assets, tenant.Value, AssetRows.ByPath, MaxAssetsPerTenant + 1, ct).ConfigureAwait(false);
        return rows.Count > MaxAssetsPerTenant
            ? null
            : new Snapshot(rows.Select(r => JsonSerializer.Deserialize(r.Data!, MaintenanceJson.Default.Asset)!).ToList(), fromCache: false);
    }
}
