using System.Text.Json;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Search;
using Fractal.Functions.Maintenance.Stores.WorkOrders;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores.Assets;

/// <summary><see cref="IAssetService"/> on the asset table (and the downtime rows of the work-order table).</summary>
internal sealed class AssetService(TableStore tables, FilteredPager pager, TermIndexReader terms, AssetCatalogue catalogue, TermIndexCopies searchCopies) : IAssetService
{
    private const string Table = TableNames.Assets;
    private const int MaxTreeRows = 5000;

    /// <summary>
    /// An asset by code (case-insensitive); null when missing. From this process's copy of the tenant's assets
    /// (<see cref="AssetCatalogue"/>: assets never change once created); a code the copy lacks is a point read,
    /// since another instance may have created it since the copy was read.
    /// </summary>
    public async Task<Asset?> FindAsync(TenantId tenant, string id, CancellationToken ct)
    {
        var code = id.Trim().ToUpperInvariant();
        if (!Asset.IsValidCode(code)) return null;
        var copy = await catalogue.GetAsync(tenant, ct).ConfigureAwait(false);
        if (copy is not null && copy.ById.TryGetValue(code, out var known)) return known;
        var row = await tables.FindAsync<TableEntity>(Table, tenant.Value, AssetRows.Record(code), ct).ConfigureAwait(false);
        if (row is null) return null;
        if (copy is not null) catalogue.Invalidate(tenant); // the copy misses an asset created elsewhere: read it again next time
        return RecordCodec.Decode(row, MaintenanceJson.Default.Asset);
    }

    public async Task<DomainResult<Asset>> GetAsync(TenantId tenant, string id, CancellationToken ct = default) =>
        await FindAsync(tenant, id, ct).ConfigureAwait(false) is { } asset ? asset : MaintenanceErrors.NotFound("asset", id);

    public async Task<DomainResult<Page<Asset>>> ListAsync(TenantId tenant, AssetQuery query, PageRequest page, CancellationToken ct = default)
    {
        var rootPath = "";
        if (query.SubtreeOf is { } rootId)
        {
            if (await FindAsync(tenant, rootId, ct).ConfigureAwait(false) is not { } root) return MaintenanceErrors.NotFound("asset", rootId);
            rootPath = root.Path;
        }
        bool Keep(Asset a) => a.Path.StartsWith(rootPath, StringComparison.Ordinal) && (query.Level is null || a.Level == query.Level)
                              && (query.Kind is null || a.Kind == query.Kind) && (!query.ActiveOnly || a.Active);

        if (string.IsNullOrWhiteSpace(query.Text))
        {
            return await pager.ReadAsync(RangeQuery.Prefix(Table, tenant.Value, AssetRows.ByPath + rootPath), page,
                row => JsonSerializer.Deserialize(row.Data!, MaintenanceJson.Default.Asset)!, Keep, ct).ConfigureAwait(false);
        }
        if (page.Size is < 1 or > PageRequest.MaxSize) return MaintenanceErrors.Invalid("pageSize", $"1 to {PageRequest.MaxSize}.");
        var queryTerms = TermIndexReader.QueryTerms(query.Text);
        if (queryTerms.Count == 0) return new Page<Asset>([], null);
        var ranked = await terms.ScoreAsync(Table, tenant.Value, queryTerms, ct).ConfigureAwait(false);
        var candidates = await Task.WhenAll(ranked.Take(PageRequest.MaxSize).Select(r => FindAsync(tenant, r.Ref, ct))).ConfigureAwait(false);
        return new Page<Asset>(candidates.OfType<Asset>().Where(Keep).Take(page.Size).ToList(), null);
    }

    public async Task<DomainResult<IReadOnlyList<AssetTreeNode>>> GetTreeAsync(TenantId tenant, string? rootId, int depth, CancellationToken ct = default)
    {
        if (depth is < 0 or > 10) return MaintenanceErrors.Invalid("depth", "0 to 10.");
        var rootPath = "";
        var rootDepth = 0;
        if (rootId is not null)
        {
            if (await FindAsync(tenant, rootId, ct).ConfigureAwait(false) is not { } root) return MaintenanceErrors.NotFound("asset", rootId);
            (rootPath, rootDepth) = (root.Path, root.Depth);
        }
        var rows = await tables.ReadPrefixAsync<IndexRow>(Table, tenant.Value, AssetRows.ByPath + rootPath, MaxTreeRows, ct).ConfigureAwait(false);
        var assets = rows.Select(r => JsonSerializer.Deserialize(r.Data!, MaintenanceJson.Default.Asset)!).Where(a => a.Depth <= rootDepth + depth).ToList();
        var children = assets.ToLookup(a => a.ParentId ?? "");
        AssetTreeNode Node(Asset a) => new(a, children[a.Id].Select(Node).ToList());
        var roots = rootId is null ? assets.Where(a => a.ParentId is null) : assets.Where(a => a.Path == rootPath);
        return roots.Select(Node).ToList();
    }

    public async Task<DomainResult<IReadOnlyList<DowntimeInterval>>> GetDowntimeAsync(TenantId tenant, string assetId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct = default)
    {
        if (await FindAsync(tenant, assetId, ct).ConfigureAwait(false) is not { } asset) return MaintenanceErrors.NotFound("asset", assetId);
        var prefix = WorkOrderRows.DowntimePrefix(asset.Id);
        // Keyed by start: read every interval that starts before `to`, keep those still running at `from`.
        var upper = to is { } t ? prefix + Keys.Time(t) : Keys.After(prefix);
        var rows = await tables.ReadRangeAsync<IndexRow>(TableNames.WorkOrders, tenant.Value, prefix, upper, 1000, ct).ConfigureAwait(false);
        return rows.Select(Interval).Where(i => (from is null || i.End is null || i.End > from) && (to is null || i.Start < to)).ToList();
    }

    public async Task<IReadOnlyList<DowntimeInterval>> GetOpenDowntimeAsync(TenantId tenant, string? assetId, CancellationToken ct = default)
    {
        var prefix = WorkOrderRows.OpenDowntime + (assetId is null ? "" : assetId.Trim().ToUpperInvariant() + "|");
        var rows = await tables.ReadPrefixAsync<IndexRow>(TableNames.WorkOrders, tenant.Value, prefix, 10_000, ct).ConfigureAwait(false);
        return rows.Select(Interval).ToList();
    }

    public async Task<DomainResult<Asset>> CreateAsync(TenantId tenant, NewAsset asset, CancellationToken ct = default)
    {
        var code = asset.Id.Trim().ToUpperInvariant();
        if (!Asset.IsValidCode(code)) return MaintenanceErrors.Invalid("id", "1-32 upper-case letters, digits and dashes, starting with a letter or digit.");
        if (string.IsNullOrWhiteSpace(asset.Name) || asset.Name.Length > 200) return MaintenanceErrors.Invalid("name", "1 to 200 characters.");
        if (asset.Priority is < 1 or > 5) return MaintenanceErrors.Invalid("priority", "1 (very high) to 5 (very low).");
        string? parentPath = null;
        if (asset.Level == AssetLevel.Site)
        {
            if (asset.ParentId is not null) return MaintenanceErrors.Invalid("parentId", "a site has no parent.");
        }
        else
        {
            if (asset.ParentId is null) return MaintenanceErrors.Invalid("parentId", "only a site has no parent.");
            if (await FindAsync(tenant, asset.ParentId, ct).ConfigureAwait(false) is not { } parent) return MaintenanceErrors.NotFound("asset", asset.ParentId);
            if (parent.Level >= asset.Level) return MaintenanceErrors.Invalid("level", $"must be below its parent's level ({parent.Level}).");
            parentPath = parent.Path;
        }
        var created = new Asset(code, asset.Name.Trim(), asset.Kind, asset.Level, parentPath is null ? null : asset.ParentId!.Trim().ToUpperInvariant(),
            Asset.ChildPath(parentPath, code), asset.Priority, asset.Active, asset.InService, asset.Description, asset.CustomFields, asset.Groups);
        var actions = Rows(tenant.Value, created).Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)).ToList();
        var result = await tables.TrySubmitAsync(Table, actions, ct).ConfigureAwait(false);
        catalogue.Invalidate(tenant);
        searchCopies.Invalidate(tenant, Table);
        return result.Succeeded ? created : MaintenanceErrors.AlreadyExists("asset", code);
    }

    /// <summary>The record row and every derived row of an asset (what the demo loader writes too).</summary>
    internal static IEnumerable<ITableEntity> Rows(string partition, Asset asset) =>
        [RecordCodec.Encode(partition, AssetRows.Record(asset.Id), "asset", asset, MaintenanceJson.Default.Asset), .. AssetRows.Project(partition, asset)];

    private static DowntimeInterval Interval(IndexRow row) => JsonSerializer.Deserialize(row.Data!, MaintenanceJson.Default.DowntimeInterval)!;
}
