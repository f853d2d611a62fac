using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Inventory;

namespace Fractal.Functions.Maintenance.Api;

/// <summary>Filters of <c>check_stock</c>; the first given picks the index: part, warehouse, below minimum, else all.</summary>
public sealed record StockQuery(string? PartCode = null, string? WarehouseId = null, bool BelowMinimumOnly = false);

/// <summary>Warehouses, parts and stock levels.</summary>
public interface IInventoryService
{
    Task<IReadOnlyList<Warehouse>> ListWarehousesAsync(TenantId tenant, CancellationToken ct = default);
    Task<DomainResult<Part>> GetPartAsync(TenantId tenant, string partCode, CancellationToken ct = default);
    Task<DomainResult<Page<StockLevel>>> CheckStockAsync(TenantId tenant, StockQuery query, PageRequest page, CancellationToken ct = default);

    /// <summary>Adds (or with a negative delta, takes) stock; the below-minimum index follows in the same batch.</summary>
    Task<DomainResult<StockLevel>> AdjustStockAsync(TenantId tenant, string partCode, string warehouseId, decimal delta, string userId, CancellationToken ct = default);

    Task<DomainResult<Warehouse>> CreateWarehouseAsync(TenantId tenant, Warehouse warehouse, CancellationToken ct = default);
    Task<DomainResult<Part>> CreatePartAsync(TenantId tenant, Part part, CancellationToken ct = default);

    /// <summary>Creates the stock row of a part in a warehouse with its limits.</summary>
    Task<DomainResult<StockLevel>> CreateStockAsync(TenantId tenant, StockLevel stock, CancellationToken ct = default);
}
