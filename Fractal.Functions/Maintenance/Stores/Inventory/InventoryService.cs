using System.Text.Json;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Inventory;
using Fractal.Functions.Maintenance.Search;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores.Inventory;

/// <summary><see cref="IInventoryService"/> on the inventory table; stock changes under the stock row's ETag.</summary>
internal sealed class InventoryService(TableStore tables, FilteredPager pager, TermIndexCopies searchCopies) : IInventoryService
{
    private const string Table = TableNames.Inventory;

    public async Task<IReadOnlyList<Warehouse>> ListWarehousesAsync(TenantId tenant, CancellationToken ct = default) =>
        (await tables.ReadPrefixAsync<IndexRow>(Table, tenant.Value, InventoryRows.WarehousePrefix, 1000, ct).ConfigureAwait(false))
        .Select(r => JsonSerializer.Deserialize(r.Data!, MaintenanceJson.Default.Warehouse)!).ToList();

    public async Task<DomainResult<Part>> GetPartAsync(TenantId tenant, string partCode, CancellationToken ct = default) =>
        await tables.FindAsync<IndexRow>(Table, tenant.Value, InventoryRows.Part(Code(partCode)), ct).ConfigureAwait(false) is { } row
            ? JsonSerializer.Deserialize(row.Data!, MaintenanceJson.Default.Part)! : MaintenanceErrors.NotFound("part", partCode);

    public Task<DomainResult<Page<StockLevel>>> CheckStockAsync(TenantId tenant, StockQuery query, PageRequest page, CancellationToken ct = default)
    {
        var part = query.PartCode is null ? null : Code(query.PartCode);
        var warehouse = query.WarehouseId is null ? null : Code(query.WarehouseId);
        var prefix = part is not null ? $"{InventoryRows.StockPrefix}{part}|"
            : warehouse is not null ? $"{InventoryRows.ByWarehouse}{warehouse}|"
            : query.BelowMinimumOnly ? InventoryRows.BelowMinimum : InventoryRows.StockPrefix;
        return pager.ReadAsync(RangeQuery.Prefix(Table, tenant.Value, prefix), page, Decode,
            s => (part is null || s.PartCode == part) && (warehouse is null || s.WarehouseId == warehouse) && (!query.BelowMinimumOnly || s.BelowMinimum), ct);
    }

    public async Task<DomainResult<StockLevel>> AdjustStockAsync(TenantId tenant, string partCode, string warehouseId, decimal delta, string userId, CancellationToken ct = default)
    {
        var pk = tenant.Value;
        var row = await tables.FindAsync<IndexRow>(Table, pk, InventoryRows.Stock(Code(partCode), Code(warehouseId)), ct).ConfigureAwait(false);
        if (row is null) return MaintenanceErrors.NotFound("stock", $"{partCode} in {warehouseId}");
        var before = Decode(row);
        var after = before.Adjust(delta);
        if (!after.IsSuccess) return after.Error;
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, InventoryRows.EncodeStock(pk, after.Value), row.ETag) };
        actions.AddRange(RowDiff.Actions(InventoryRows.ProjectStock(pk, before), InventoryRows.ProjectStock(pk, after.Value)));
        return (await tables.TrySubmitAsync(Table, actions, ct).ConfigureAwait(false)).Succeeded ? after.Value : MaintenanceErrors.Conflict("stock", $"{partCode} in {warehouseId}");
    }

    public async Task<DomainResult<Warehouse>> CreateWarehouseAsync(TenantId tenant, Warehouse warehouse, CancellationToken ct = default)
    {
        var w = warehouse with { Id = Code(warehouse.Id) };
        if (!Asset.IsValidCode(w.Id)) return MaintenanceErrors.Invalid("id", "1-32 upper-case letters, digits and dashes.");
        return (await tables.TryAddAsync(Table, InventoryRows.EncodeWarehouse(tenant.Value, w), ct).ConfigureAwait(false)).Succeeded ? w : MaintenanceErrors.AlreadyExists("warehouse", w.Id);
    }

    public async Task<DomainResult<Part>> CreatePartAsync(TenantId tenant, Part part, CancellationToken ct = default)
    {
        var p = part with { Code = Code(part.Code) };
        if (!Asset.IsValidCode(p.Code)) return MaintenanceErrors.Invalid("code", "1-32 upper-case letters, digits and dashes.");
        if (p.UnitCost < 0) return MaintenanceErrors.Invalid("unitCost", "must not be negative.");
        var actions = PartRows(tenant.Value, p).Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)).ToList();
        var result = await tables.TrySubmitAsync(Table, actions, ct).ConfigureAwait(false);
        searchCopies.Invalidate(tenant, Table); // this instance's search finds the new part at once
        return result.Succeeded ? p : MaintenanceErrors.AlreadyExists("part", p.Code);
    }

    public async Task<DomainResult<StockLevel>> CreateStockAsync(TenantId tenant, StockLevel stock, CancellationToken ct = default)
    {
        var s = stock with { PartCode = Code(stock.PartCode), WarehouseId = Code(stock.WarehouseId) };
        if (s.Quantity < 0 || s.Minimum < 0 || s.Maximum < s.Minimum) return MaintenanceErrors.Invalid("stock", "quantities must not be negative and maximum ≥ minimum.");
        if (!(await GetPartAsync(tenant, s.PartCode, ct).ConfigureAwait(false)).IsSuccess) return MaintenanceErrors.NotFound("part", s.PartCode);
        var actions = StockRows(tenant.Value, s).Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)).ToList();
        return (await tables.TrySubmitAsync(Table, actions, ct).ConfigureAwait(false)).Succeeded ? s : MaintenanceErrors.AlreadyExists("stock", $"{s.PartCode} in {s.WarehouseId}");
    }

    internal static IEnumerable<ITableEntity> PartRows(string pk, Part p) => [InventoryRows.EncodePart(pk, p), .. InventoryRows.ProjectPart(pk, p)];
    internal static IEnumerable<ITableEntity> StockRows(string pk, StockLevel s) => [InventoryRows.EncodeStock(pk, s), .. InventoryRows.ProjectStock(pk, s)];

    private static string Code(string value) => value.Trim().ToUpperInvariant();
    private static StockLevel Decode(IndexRow row) => JsonSerializer.Deserialize(row.Data!, MaintenanceJson.Default.StockLevel)!;
}
