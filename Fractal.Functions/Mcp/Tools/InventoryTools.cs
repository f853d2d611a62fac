using System.ComponentModel;
using System.Security.Claims;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Inventory;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>Read tools over inventory.</summary>
[McpServerToolType]
public sealed class InventoryTools
{
    public sealed record StockItem(string PartCode, string PartName, string WarehouseId, decimal Quantity, decimal Minimum, decimal Maximum, decimal ReorderLevel, string Unit, decimal UnitCost, bool BelowMinimum)
    {
        public static StockItem From(StockLevel s) => new(s.PartCode, s.PartName, s.WarehouseId, s.Quantity, s.Minimum, s.Maximum, s.ReorderLevel, s.Unit, s.UnitCost, s.BelowMinimum);
    }

    public sealed record StockList(IReadOnlyList<StockItem> Items, string? NextCursor);

    [McpServerTool(Name = "check_stock", Title = "Check stock", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(StockList))]
    [Description("Use this when you need stock of parts per warehouse with min/max, or the parts below minimum.")]
    public static async Task<CallToolResult> CheckStock(
        IInventoryService inventory,
        [Description("Part code, e.g. ROD-02")] string? part_code = null,
        [Description("Warehouse id, e.g. BOD-CEN")] string? warehouse_id = null,
        [Description("Only stock under its minimum")] bool below_minimum_only = false,
        [Description("1-100, default 25")] int? page_size = null,
        [Description("Previous page's next_cursor")] string? cursor = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var part = part_code is null ? null : ToolArguments.Text(part_code, "part_code", 40);
        var warehouse = warehouse_id is null ? null : ToolArguments.Text(warehouse_id, "warehouse_id", 40);
        var size = ToolArguments.PageSize(page_size);
        // An unknown part or warehouse is an error the model can fix, not an empty list.
        if (part is not null && !Asset.IsValidCode(part.ToUpperInvariant())) return ToolResults.From(MaintenanceErrors.NotFound("part", part));
        if (part is not null && await inventory.GetPartAsync(caller.Tenant, part, cancellationToken) is { IsSuccess: false } missingPart)
            return ToolResults.From(missingPart.Error);
        if (warehouse is not null && !(await inventory.ListWarehousesAsync(caller.Tenant, cancellationToken)).Any(w => string.Equals(w.Id, warehouse, StringComparison.OrdinalIgnoreCase)))
            return ToolResults.From(MaintenanceErrors.NotFound("warehouse", warehouse));
        var result = await inventory.CheckStockAsync(caller.Tenant, new StockQuery(part, warehouse, below_minimum_only), new PageRequest(size, cursor), cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var items = result.Value.Items.Select(StockItem.From).ToList();
        var summary = items.Count == 0
            ? "No stock matches."
            : $"{items.Count} stock rows ({items.Count(i => i.BelowMinimum)} below minimum): " + string.Join("; ", items.Take(10).Select(i => $"{i.PartCode} in {i.WarehouseId}: {i.Quantity} {i.Unit}"))
              + (result.Value.NextCursor is null ? "." : ". More pages: pass next_cursor as cursor.");
        return ToolResults.Ok(new StockList(items, result.Value.NextCursor), summary);
    }
}
