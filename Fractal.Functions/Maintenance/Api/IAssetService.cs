using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Assets;

namespace Fractal.Functions.Maintenance.Api;

/// <summary>
/// Filters of <c>list_assets</c>. With <see cref="Text"/> the result is ranked by the search score (one page,
/// no cursor); otherwise it lists <see cref="SubtreeOf"/> (or the whole tree) in hierarchy order with paging.
/// </summary>
public sealed record AssetQuery(string? Text = null, string? SubtreeOf = null, AssetLevel? Level = null, AssetKind? Kind = null, bool ActiveOnly = false);

public sealed record NewAsset(string Id, string Name, AssetKind Kind, AssetLevel Level, string? ParentId, int Priority,
    bool Active = true, bool InService = true, string? Description = null, IReadOnlyDictionary<string, string>? CustomFields = null, IReadOnlyList<string>? Groups = null);

/// <summary>Locations and assets: <c>list_assets</c>, <c>get_asset</c>, <c>get_location_tree</c>, <c>get_asset_downtime</c>.</summary>
public interface IAssetService
{
    Task<DomainResult<Asset>> GetAsync(TenantId tenant, string id, CancellationToken ct = default);
    Task<DomainResult<Page<Asset>>> ListAsync(TenantId tenant, AssetQuery query, PageRequest page, CancellationToken ct = default);

    /// <summary>The hierarchy under <paramref name="rootId"/> (every site when null) down to <paramref name="depth"/> levels below it.</summary>
    Task<DomainResult<IReadOnlyList<AssetTreeNode>>> GetTreeAsync(TenantId tenant, string? rootId, int depth, CancellationToken ct = default);

    /// <summary>Out-of-service intervals of one asset overlapping [from, to), oldest first (at most 1000).</summary>
    Task<DomainResult<IReadOnlyList<DowntimeInterval>>> GetDowntimeAsync(TenantId tenant, string assetId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct = default);

    /// <summary>Intervals still open (asset out of service now) for one asset, or every asset when null.</summary>
    Task<IReadOnlyList<DowntimeInterval>> GetOpenDowntimeAsync(TenantId tenant, string? assetId, CancellationToken ct = default);

    Task<DomainResult<Asset>> CreateAsync(TenantId tenant, NewAsset asset, CancellationToken ct = default);
}
