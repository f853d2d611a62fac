using System.Text.Json;
using Fractal.Functions.Maintenance.Domain.Inventory;
using Fractal.Functions.Maintenance.Search;

namespace Fractal.Functions.Maintenance.Stores.Inventory;

/// <summary>RowKeys of the inventory table (one partition per tenant): warehouses, parts, stock and its indexes.</summary>
internal static class InventoryRows
{
    public const string WarehousePrefix = "wh|", PartPrefix = "pa|", StockPrefix = "st|", ByWarehouse = "x|wh|", BelowMinimum = "x|low|";

    public static string Warehouse(string id) => WarehousePrefix + id;
    public static string Part(string code) => PartPrefix + code;
    public static string Stock(string part, string warehouse) => $"{StockPrefix}{part}|{warehouse}";

    public static IndexRow EncodeWarehouse(string pk, Warehouse w) =>
        new() { PartitionKey = pk, RowKey = Warehouse(w.Id), Ref = w.Id, Data = JsonSerializer.Serialize(w, MaintenanceJson.Default.Warehouse) };

    public static IndexRow EncodePart(string pk, Part p) =>
        new() { PartitionKey = pk, RowKey = Part(p.Code), Ref = p.Code, Data = JsonSerializer.Serialize(p, MaintenanceJson.Default.Part) };

    public static List<IndexRow> ProjectPart(string pk, Part p) =>
        SearchTerms.Build((p.Code, SearchTerms.IdentifierWeight), (p.Name, SearchTerms.TitleWeight), (p.Category, SearchTerms.TextWeight))
            .Select(t => new IndexRow { PartitionKey = pk, RowKey = $"{TermIndexReader.Prefix}{t.Key}|{p.Code}", Ref = p.Code, Data = p.Name, Weight = t.Value })
            .ToList();

    /// <summary>The stock row itself (its ETag guards adjustments).</summary>
    public static IndexRow EncodeStock(string pk, StockLevel s) =>
        new() { PartitionKey = pk, RowKey = Stock(s.PartCode, s.WarehouseId), Ref = s.PartCode, Data = JsonSerializer.Serialize(s, MaintenanceJson.Default.StockLevel) };

    /// <summary>By warehouse always; below minimum only while the quantity is under the minimum.</summary>
    public static List<IndexRow> ProjectStock(string pk, StockLevel s)
    {
        var data = JsonSerializer.Serialize(s, MaintenanceJson.Default.StockLevel);
        var rows = new List<IndexRow> { new() { PartitionKey = pk, RowKey = $"{ByWarehouse}{s.WarehouseId}|{s.PartCode}", Ref = s.PartCode, Data = data } };
        if (s.BelowMinimum) rows.Add(new IndexRow { PartitionKey = pk, RowKey = $"{BelowMinimum}{s.PartCode}|{s.WarehouseId}", Ref = s.PartCode, Data = data });
        return rows;
    }
}
