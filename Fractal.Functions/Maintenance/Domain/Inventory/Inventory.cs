namespace Fractal.Functions.Maintenance.Domain.Inventory;

public sealed record Warehouse(string Id, string Name, string? Location = null);

public sealed record Part(string Code, string Name, string Unit, decimal UnitCost, string? Category = null);

/// <summary>Stock of one part in one warehouse with its limits; below minimum when the quantity is under <see cref="Minimum"/>.</summary>
public sealed record StockLevel(string PartCode, string PartName, string WarehouseId, decimal Quantity, decimal Minimum, decimal Maximum, decimal ReorderLevel, string Unit, decimal UnitCost)
{
    public bool BelowMinimum => Quantity < Minimum;

    public DomainResult<StockLevel> Adjust(decimal delta)
    {
        if (Quantity + delta < 0) return MaintenanceErrors.Invalid("quantity", $"part {PartCode} has only {Quantity} {Unit} in {WarehouseId}.");
        return this with { Quantity = Quantity + delta };
    }
}
