using Fractal.Functions.Maintenance.Domain.Inventory;

namespace Fractal.Functions.Maintenance.Demo;

/// <summary>The demo plant's warehouses and ~80 parts, six of them planted below their minimum stock.</summary>
internal static class DemoInventory
{
    public const string Central = "BOD-CEN", Crib = "PANOL";

    /// <summary>Part families: code prefix, name, unit, unit cost (CLP), category, the variants that make one part each.</summary>
    private static readonly (string Prefix, string Name, string Unit, decimal Cost, string Category, string[] Variants)[] Families =
    [
        ("FIL-AIR", "Filtro de aire", "un", 38000, "Filtros", ["compresor GA37", "compresor GA45", "manejadora 24x24", "manejadora 20x25"]),
        ("FIL-ACE", "Filtro de aceite", "un", 24000, "Filtros", ["compresor", "grúa horquilla", "generador"]),
        ("FIL-SEP", "Separador aire-aceite", "un", 185000, "Filtros", ["GA37", "GA45"]),
        ("FIL-COA", "Filtro coalescente", "un", 64000, "Filtros", ["1 micra", "0,01 micra"]),
        ("ACE", "Aceite", "bidón", 96000, "Lubricantes", ["compresor 20 L", "hidráulico ISO 68 20 L", "motor 15W40 20 L"]),
        ("GRA", "Grasa", "tarro", 21000, "Lubricantes", ["grado alimentario", "litio EP2"]),
        ("ROD", "Rodamiento", "un", 14500, "Rodamientos", ["6204", "6205", "6206", "6305", "6308", "22212"]),
        ("COR", "Correa en V", "un", 17800, "Transmisión", ["A-42", "A-48", "B-50", "B-62"]),
        ("CAD", "Cadena de transporte", "m", 42000, "Transmisión", ["tabletas 82 mm", "tabletas 114 mm"]),
        ("SEL", "Sello mecánico", "un", 68000, "Sellos", ["bomba 1 1/4\"", "bomba 1 1/2\"", "agitador"]),
        ("KIT-SEL", "Kit de sellos", "kit", 845000, "Sellos", ["válvulas de llenadora", "cabezal tapador"]),
        ("VAL-LLE", "Válvula de llenado", "un", 455000, "Llenado", ["completa", "vástago"]),
        ("VAL-SOL", "Válvula solenoide", "un", 56000, "Neumática", ["1/4\" 24 VDC", "1/2\" 24 VDC", "3/4\" 220 VAC"]),
        ("CIL", "Cilindro neumático", "un", 132000, "Neumática", ["32x100", "50x200"]),
        ("SEN-IND", "Sensor inductivo", "un", 39000, "Instrumentación", ["M12", "M18", "M30"]),
        ("SEN-FOT", "Sensor fotoeléctrico", "un", 72000, "Instrumentación", ["difuso", "reflectivo"]),
        ("TRA-PRE", "Transmisor de presión", "un", 215000, "Instrumentación", ["0-10 bar", "0-16 bar"]),
        ("TER", "Termocupla tipo K", "un", 27000, "Instrumentación", ["200 mm", "500 mm"]),
        ("CON", "Contactor", "un", 48000, "Eléctricos", ["12 A", "25 A", "40 A", "65 A"]),
        ("REL", "Relé térmico", "un", 36000, "Eléctricos", ["9-13 A", "23-32 A"]),
        ("VDF", "Variador de frecuencia", "un", 1250000, "Eléctricos", ["5,5 kW", "15 kW"]),
        ("MOT", "Motor eléctrico", "un", 1650000, "Eléctricos", ["4 kW", "15 kW"]),
        ("FUS", "Fusible NH", "un", 9500, "Eléctricos", ["63 A", "125 A", "250 A"]),
        ("BAT", "Batería de tracción", "un", 2900000, "Grúas", ["48 V"]),
        ("NEU", "Neumático macizo", "un", 185000, "Grúas", ["delantero", "trasero"]),
        ("QUE", "Kit de electrodos de quemador", "kit", 380000, "Vapor", ["caldera"]),
        ("EMP", "Empaquetadura de intercambiador", "juego", 520000, "Frío", ["chiller", "placas"]),
        ("REF", "Refrigerante R-134a", "kg", 28000, "Frío", ["cilindro 13,6 kg"]),
        ("TOR", "Kit de tornillo compresor", "kit", 2250000, "Compresores", ["GA45"]),
        ("MEM", "Membrana de osmosis", "un", 640000, "Agua", ["8\""]),
        ("RES", "Resina de intercambio iónico", "saco", 98000, "Agua", ["25 L"]),
        ("ETQ", "Rodillo de etiquetadora", "un", 310000, "Etiquetado", ["encolador", "transferencia"]),
        ("CAB", "Cabezal de codificador", "un", 1180000, "Etiquetado", ["láser"]),
        ("FIL-STR", "Film stretch", "rollo", 23000, "Empaque", ["23 micras"]),
        ("MAN", "Manguera hidráulica", "m", 19500, "Hidráulica", ["1/2\" 2 mallas", "3/4\" 2 mallas"]),
        ("EMV", "Empaquetadura de válvula", "juego", 33000, "Sellos", ["DN50", "DN80"]),
    ];

    /// <summary>The parts planted below minimum (quantity under the minimum in the central warehouse).</summary>
    public static readonly string[] BelowMinimum = ["FIL-AIR-01", "ROD-02", "KIT-SEL-01", "CON-02", "SEN-IND-01", "VAL-SOL-01"];

    public static IReadOnlyList<Part> Parts { get; } = Families
        .SelectMany(f => f.Variants.Select((v, i) => new Part($"{f.Prefix}-{i + 1:D2}", $"{f.Name} {v}", f.Unit, f.Cost + i * Math.Round(f.Cost * 0.08m / 100) * 100, f.Category)))
        .ToList();

    public static Part Find(string code) => Parts.First(p => p.Code == code);

    public static (IReadOnlyList<Warehouse>, IReadOnlyList<Part>, IReadOnlyList<StockLevel>) Build(Random rng)
    {
        var warehouses = new List<Warehouse> { new(Central, "Bodega Central", "Bodega, andén 2"), new(Crib, "Pañol de Mantención", "Taller de mantención") };
        var stock = new List<StockLevel>();
        foreach (var (part, index) in Parts.Select((p, i) => (p, i)))
        {
            var min = part.UnitCost > 500000 ? 1 : rng.Next(2, 8);
            var max = min * 3 + rng.Next(0, 5);
            var quantity = BelowMinimum.Contains(part.Code) ? rng.Next(0, min) : min + rng.Next(0, max - min + 1);
            stock.Add(new StockLevel(part.Code, part.Name, Central, quantity, min, max, min + 1, part.Unit, part.UnitCost));
            if (index % 3 == 0)
                stock.Add(new StockLevel(part.Code, part.Name, Crib, 1 + rng.Next(0, 4), 1, 5, 1, part.Unit, part.UnitCost));
        }
        return (warehouses, Parts, stock);
    }

    /// <summary>The consumable a routine preventive task uses on an asset of this group.</summary>
    public static string Consumable(string group) => group switch
    {
        "Compresores" => "FIL-AIR-01", "Aire" => "FIL-COA-01", "Frío" => "REF-01", "Bombas" => "SEL-01", "Vapor" => "QUE-01",
        "Agua" => "RES-01", "Llenado" => "GRA-01", "Etiquetado" => "ROD-01", "Instrumentación" => "SEN-IND-01", "Transportadores" => "COR-01",
        "Empaque" => "CAD-01", "Grúas" => "FIL-ACE-02", "Edificio" => "SEN-FOT-01", "Climatización" => "FIL-AIR-03", "Seguridad" => "FUS-01",
        "Energía" => "FUS-02", _ => "GRA-02",
    };

    /// <summary>Spare parts a repair of this failure type may use; the expensive ones go to the bad actors.</summary>
    public static string[] Spares(string failureType, bool expensive) => (failureType, expensive) switch
    {
        ("Mecánica", true) => ["KIT-SEL-01", "VAL-LLE-01", "MOT-02", "TOR-01"],
        ("Mecánica", false) => ["ROD-02", "ROD-03", "COR-02", "SEL-02", "CAD-01"],
        ("Eléctrica", true) => ["VDF-02", "MOT-01"],
        ("Eléctrica", false) => ["CON-02", "REL-01", "FUS-01", "CON-03"],
        ("Neumática", true) => ["KIT-SEL-02", "CIL-02"],
        ("Neumática", false) => ["VAL-SOL-01", "VAL-SOL-02", "CIL-01"],
        ("Lubricación", _) => ["ACE-01", "GRA-02", "FIL-ACE-01"],
        ("Instrumentación", true) => ["TRA-PRE-02", "CAB-01"],
        ("Instrumentación", false) => ["SEN-IND-02", "SEN-FOT-02", "TER-01"],
        ("Térmica", true) => ["EMP-01", "QUE-01", "FIL-SEP-02"],
        _ => ["TER-02", "FIL-SEP-01", "REF-01"],
    };
}
