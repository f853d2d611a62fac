using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Meters;
using Fractal.Functions.Maintenance.Domain.Plans;
using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Maintenance.Demo;

/// <summary>The static part of the demo plant: hierarchy, meters, plans, people, failure codes, part families.</summary>
internal static class DemoCatalog
{
    public static readonly (string Id, string Name, string? Parent, AssetLevel Level, int Priority)[] Locations =
    [
        ("PEA", DemoPlant.Name, null, AssetLevel.Site, 1),
        ("SRV", "Servicios", "PEA", AssetLevel.Area, 1),
        ("L1", "Línea 1 Llenado", "PEA", AssetLevel.Area, 1),
        ("L2", "Línea 2 Empaque", "PEA", AssetLevel.Area, 2),
        ("BOD", "Bodega", "PEA", AssetLevel.Area, 3),
        ("INS", "Instalaciones", "PEA", AssetLevel.Area, 2),
        ("SRV-AIRE", "Sistema de Aire Comprimido", "SRV", AssetLevel.System, 1),
        ("SRV-FRIO", "Sistema de Frío", "SRV", AssetLevel.System, 1),
        ("SRV-VAPOR", "Sistema de Vapor y Agua", "SRV", AssetLevel.System, 1),
        ("L1-LLEN", "Llenado y Tapado", "L1", AssetLevel.System, 1),
        ("L1-ETIQ", "Etiquetado y Control", "L1", AssetLevel.System, 2),
        ("L2-PALE", "Transporte y Paletizado", "L2", AssetLevel.System, 2),
        ("BOD-MAN", "Manejo de Materiales", "BOD", AssetLevel.System, 3),
        ("INS-CLIMA", "Climatización, Energía y Seguridad", "INS", AssetLevel.System, 2),
    ];

    public static readonly (string Id, string Name, string System, int Priority, string Group)[] Equipment =
    [
        ("CMP-01", "Compresor N°1", "SRV-AIRE", 2, "Compresores"), ("CMP-02", "Compresor N°2", "SRV-AIRE", 1, "Compresores"),
        ("CMP-03", "Compresor N°3", "SRV-AIRE", 2, "Compresores"), ("SEC-01", "Secador de Aire", "SRV-AIRE", 3, "Aire"),
        ("EST-01", "Estanque Pulmón de Aire", "SRV-AIRE", 4, "Aire"),
        ("CHL-01", "Chiller N°1", "SRV-FRIO", 1, "Frío"), ("TOR-01", "Torre de Enfriamiento", "SRV-FRIO", 2, "Frío"),
        ("BAH-01", "Bomba de Agua Helada", "SRV-FRIO", 3, "Bombas"),
        ("CAL-01", "Caldera Pirotubular", "SRV-VAPOR", 1, "Vapor"), ("BAC-01", "Bomba de Alimentación de Caldera", "SRV-VAPOR", 2, "Bombas"),
        ("ABL-01", "Ablandador de Agua", "SRV-VAPOR", 3, "Agua"), ("OSM-01", "Planta de Osmosis Inversa", "SRV-VAPOR", 2, "Agua"),
        ("LLE-01", "Llenadora Rotativa", "L1-LLEN", 1, "Llenado"), ("TAP-01", "Tapadora", "L1-LLEN", 1, "Llenado"),
        ("ENJ-01", "Enjuagadora de Botellas", "L1-LLEN", 2, "Llenado"), ("CAR-01", "Carbonatador", "L1-LLEN", 2, "Llenado"),
        ("ETQ-01", "Etiquetadora", "L1-ETIQ", 2, "Etiquetado"), ("COD-01", "Codificador Láser", "L1-ETIQ", 3, "Etiquetado"),
        ("INL-01", "Inspector de Nivel", "L1-ETIQ", 3, "Instrumentación"),
        ("TRB-01", "Transportador de Botellas N°1", "L2-PALE", 3, "Transportadores"), ("TRB-02", "Transportador de Botellas N°2", "L2-PALE", 3, "Transportadores"),
        ("TRC-01", "Transportador de Cajas", "L2-PALE", 3, "Transportadores"), ("ENC-01", "Encajonadora", "L2-PALE", 2, "Empaque"),
        ("ENV-01", "Envolvedora Stretch", "L2-PALE", 3, "Empaque"), ("PAL-01", "Paletizadora", "L2-PALE", 1, "Empaque"),
        ("GRH-01", "Grúa Horquilla N°1", "BOD-MAN", 3, "Grúas"), ("GRH-02", "Grúa Horquilla N°2", "BOD-MAN", 3, "Grúas"),
        ("GRH-03", "Grúa Horquilla N°3", "BOD-MAN", 4, "Grúas"), ("TPE-01", "Transpaleta Eléctrica", "BOD-MAN", 4, "Grúas"),
        ("PRA-01", "Puerta Rápida de Andén", "BOD-MAN", 5, "Edificio"),
        ("MAN-01", "Manejadora de Aire N°1", "INS-CLIMA", 4, "Climatización"), ("MAN-02", "Manejadora de Aire N°2", "INS-CLIMA", 4, "Climatización"),
        ("BCI-01", "Bomba contra Incendio", "INS-CLIMA", 1, "Seguridad"), ("GEN-01", "Generador de Emergencia", "INS-CLIMA", 2, "Energía"),
        ("TRF-01", "Transformador Principal", "INS-CLIMA", 1, "Energía"), ("TGD-01", "Tablero General de Distribución", "INS-CLIMA", 2, "Energía"),
    ];

    /// <summary>Production equipment stopped for its annual overhaul in the February shutdown (the holiday month).</summary>
    public static readonly string[] FebruaryShutdown = ["LLE-01", "TAP-01", "ENJ-01", "CAR-01", "ETQ-01", "COD-01", "INL-01", "TRB-01", "TRB-02", "TRC-01", "ENC-01", "ENV-01", "PAL-01"];

    /// <summary>Meters: id, asset, name, unit, kind, hours run per day (counters) or mean value (gauges), readings every N days.</summary>
    public static readonly (string Id, string Asset, string Name, string Unit, MeterKind Kind, double Rate, int EveryDays)[] Meters =
    [
        ("H-CMP-01", "CMP-01", "Horómetro", "h", MeterKind.Counter, 19, 1), ("H-CMP-02", "CMP-02", "Horómetro", "h", MeterKind.Counter, 21, 1),
        ("H-CMP-03", "CMP-03", "Horómetro", "h", MeterKind.Counter, 17, 1), ("H-GRH-01", "GRH-01", "Horómetro", "h", MeterKind.Counter, 10, 1),
        ("H-GRH-02", "GRH-02", "Horómetro", "h", MeterKind.Counter, 9, 1), ("H-GRH-03", "GRH-03", "Horómetro", "h", MeterKind.Counter, 8, 1),
        ("H-CHL-01", "CHL-01", "Horómetro", "h", MeterKind.Counter, 20, 1), ("H-CAL-01", "CAL-01", "Horómetro", "h", MeterKind.Counter, 22, 1),
        ("C-LLE-01", "LLE-01", "Contador de botellas", "miles", MeterKind.Counter, 310, 1), ("H-GEN-01", "GEN-01", "Horómetro", "h", MeterKind.Counter, 0.4, 7),
        ("T-CMP-02", "CMP-02", "Temperatura de descarga", "°C", MeterKind.Gauge, 82, 1), ("P-CAL-01", "CAL-01", "Presión de vapor", "bar", MeterKind.Gauge, 8.5, 7),
    ];

    public sealed record PlanSpec(string Id, string Name, string[] Assets, PlanTask[] Tasks);

    private static PlanTask Days(int id, string d, int days, int minutes, WorkOrderType type = WorkOrderType.Preventive) => new(id, d, TriggerKind.EveryDays, days, minutes, type);
    private static PlanTask Hours(int id, string d, int hours, int minutes) => new(id, d, TriggerKind.EveryMeterUnits, hours, minutes, WorkOrderType.Preventive);
    private static PlanTask Annual(int id, int minutes) => new(id, "Mantención mayor anual", TriggerKind.EveryDays, 365, minutes, WorkOrderType.Preventive);

    public static readonly PlanSpec[] Plans =
    [
        new("PM-AIRE", "Plan compresores de aire", ["CMP-01", "CMP-02", "CMP-03"], [Hours(1, "Cambio de filtros y aceite de compresor", 500, 150), Annual(2, 1440)]),
        new("PM-SECADO", "Plan secado y almacenamiento de aire", ["SEC-01", "EST-01"], [Days(1, "Purga, revisión de válvulas y filtros coalescentes", 30, 60)]),
        new("PM-FRIO", "Plan sistema de frío", ["CHL-01", "TOR-01", "BAH-01"],
            [Days(1, "Limpieza de condensador, filtros y revisión de fugas", 30, 120), Days(2, "Inspección de vibraciones y refrigerante", 180, 60, WorkOrderType.Inspection)]),
        new("PM-VAPOR", "Plan caldera y tratamiento de agua", ["CAL-01", "BAC-01", "ABL-01", "OSM-01"],
            [Days(1, "Mantención mensual de caldera y bombas", 30, 120), Days(2, "Análisis de agua e inspección de seguridad", 180, 60, WorkOrderType.Inspection)]),
        new("PM-LLEN", "Plan llenado y tapado", ["LLE-01", "TAP-01", "ENJ-01", "CAR-01"], [Days(1, "Lubricación, ajuste de válvulas y cambio de sellos", 30, 180), Annual(2, 2880)]),
        new("PM-ETIQ", "Plan etiquetado y control", ["ETQ-01", "COD-01", "INL-01"], [Days(1, "Limpieza, calibración y ajuste", 30, 90), Annual(2, 1440)]),
        new("PM-PALE", "Plan transporte y paletizado", ["TRB-01", "TRB-02", "TRC-01", "ENC-01", "ENV-01", "PAL-01"],
            [Days(1, "Revisión de cadenas, guías y motorreductores", 90, 120), Annual(2, 1920)]),
        new("PM-GRUAS", "Plan grúas horquilla", ["GRH-01", "GRH-02", "GRH-03"], [Hours(1, "Mantención preventiva de grúa horquilla", 300, 180)]),
        new("PM-BODEGA", "Plan equipos de bodega", ["TPE-01", "PRA-01"], [Days(1, "Revisión de baterías, sensores y mecanismos", 90, 60)]),
        new("PM-CLIMA", "Plan climatización", ["MAN-01", "MAN-02"], [Days(1, "Cambio de filtros y revisión de correas", 90, 90)]),
        new("PM-SEG", "Plan seguridad y respaldo", ["BCI-01", "GEN-01"], [Days(1, "Prueba de funcionamiento bajo carga", 30, 45, WorkOrderType.Inspection), Annual(2, 720)]),
        new("PM-ELEC", "Plan sistema eléctrico", ["TRF-01", "TGD-01"], [Days(1, "Termografía y revisión de conexiones", 180, 90, WorkOrderType.Inspection), Annual(2, 480)]),
    ];

    public static readonly (string Id, string Name)[] Technicians =
    [
        ("tec-01", "Juan Pérez"), ("tec-02", "María González"), ("tec-03", "Pedro Soto"), ("tec-04", "Camila Rojas"),
        ("tec-05", "Diego Muñoz"), ("tec-06", "Valentina Díaz"), ("tec-07", "José Contreras"), ("tec-08", "Francisca Silva"),
    ];

    public const string Supervisor = "sup-01";
    public const string Planner = "plan-01";

    public static readonly string[] Requesters = ["op-linea1", "op-linea2", "op-bodega", "jefe-turno", "calidad", "seguridad"];

    /// <summary>Failure types, with causes that go with them (type is what first-time fix compares).</summary>
    public static readonly (string Type, string[] Causes)[] FailureTypes =
    [
        ("Mecánica", ["Desgaste", "Fatiga de material", "Desalineamiento"]),
        ("Eléctrica", ["Cortocircuito", "Sobrecarga", "Falla de aislación"]),
        ("Neumática", ["Fuga", "Válvula trabada"]),
        ("Lubricación", ["Falta de lubricación", "Contaminación del lubricante"]),
        ("Instrumentación", ["Sensor descalibrado", "Falla de comunicación"]),
        ("Térmica", ["Sobretemperatura", "Intercambiador sucio"]),
    ];

    public const decimal LabourRate = 15000m;
}
