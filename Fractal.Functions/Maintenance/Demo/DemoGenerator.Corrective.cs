using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Maintenance.Demo;

internal sealed partial class DemoGenerator
{
    /// <summary>The assets that concentrate failures and cost (and get the expensive spares).</summary>
    private static readonly string[] BadActors = ["LLE-01", "CMP-02", "CAL-01", "CHL-01", "PAL-01"];

    /// <summary>
    /// Planted failures: the filler's 14 (with repeats within 30 days), the compressor that fails in summer,
    /// the boiler, the chiller and the palletizer; (date, type, emergency).
    /// </summary>
    private static readonly (string Asset, (int Y, int M, int D, string Type, bool Emergency)[] Events)[] Planted =
    [
        ("LLE-01", [(2025, 7, 14, "Mecánica", true), (2025, 7, 29, "Mecánica", false), (2025, 8, 25, "Neumática", false), (2025, 9, 3, "Neumática", false),
                    (2025, 10, 6, "Eléctrica", true), (2025, 11, 10, "Mecánica", false), (2025, 11, 24, "Mecánica", false), (2025, 12, 15, "Instrumentación", false),
                    (2026, 1, 12, "Neumática", true), (2026, 3, 9, "Mecánica", false), (2026, 3, 30, "Mecánica", false), (2026, 4, 27, "Eléctrica", false),
                    (2026, 5, 18, "Instrumentación", false), (2026, 6, 8, "Neumática", true)]),
        ("CMP-02", [(2025, 8, 19, "Mecánica", false), (2025, 12, 4, "Térmica", true), (2025, 12, 18, "Térmica", false), (2026, 1, 5, "Térmica", false),
                    (2026, 1, 15, "Eléctrica", false), (2026, 1, 26, "Térmica", true), (2026, 2, 16, "Térmica", false), (2026, 2, 25, "Neumática", false)]),
        ("CAL-01", [(2025, 7, 22, "Térmica", true), (2025, 10, 14, "Mecánica", false), (2026, 3, 17, "Instrumentación", false), (2026, 5, 26, "Térmica", false)]),
        ("CHL-01", [(2025, 12, 10, "Térmica", true), (2026, 1, 20, "Eléctrica", false), (2026, 2, 9, "Térmica", false)]),
        ("PAL-01", [(2025, 9, 16, "Mecánica", false), (2025, 11, 3, "Eléctrica", true), (2026, 4, 7, "Mecánica", false), (2026, 4, 21, "Mecánica", false)]),
    ];

    private const int RandomFailures = 56, RandomRepeats = 5, RandomEmergencies = 10;

    private void GenerateFailures()
    {
        foreach (var (asset, events) in Planted)
        foreach (var (y, m, d, type, emergency) in events)
            _ = Failure(asset, Local(On(y, m, d), _rng.Next(0, 24), _rng.Next(0, 60)), type, emergency)
                ?? throw new InvalidOperationException($"Planted failure of {asset} on {y}-{m}-{d} collides with a stop.");

        var candidates = DemoCatalog.Equipment.Where(e => !BadActors.Contains(e.Id)).ToList();
        var weights = candidates.Select(e => e.Priority switch { 1 => 3.0, 2 => 2.0, 3 => 1.5, 4 => 1.0, _ => 0.5 }).ToList();
        var random = new List<SimWorkOrder>();
        var emergencies = 0;
        while (random.Count < RandomFailures)
        {
            var asset = candidates[WeightedIndex(weights)];
            var at = _from.AddMinutes(_rng.Next(0, (int)(_ref.AddDays(-3) - _from).TotalMinutes));
            var emergency = emergencies < RandomEmergencies && asset.Priority <= 2 && _rng.NextDouble() < 0.4;
            if (Failure(asset.Id, at, Pick(DemoCatalog.FailureTypes).Type, emergency) is not { } order) continue;
            random.Add(order);
            if (emergency) emergencies++;
        }
        // Repeats: the same failure on the same asset a few days after the repair (first-time fix misses).
        foreach (var first in random.Take(RandomRepeats).ToList())
        {
            var restored = first.FailureTask!.DownEnd!.Value;
            var attempt = 0;
            while (attempt++ < 20 && Failure(first.AssetId, Whole(restored.AddDays(Between(4, 25))), first.FailureTask.Failure!.Type, false) is null)
            {
                // another day: the asset was stopped then
            }
        }
        // The one failure still being repaired at the reference date: its asset is out of service "now".
        Failure("TAP-01", _ref.AddHours(-5), "Mecánica", true, stillDown: true);
    }

    /// <summary>
    /// One failure: the asset stops at <paramref name="at"/>, a technician starts within the hour, restores it
    /// 1 to 8.5 hours after the stop (asset stop to restoration is what MTTR measures) and sometimes runs a
    /// test task afterwards. Null when the asset was already stopped then.
    /// </summary>
    private SimWorkOrder? Failure(string assetId, DateTimeOffset at, string type, bool emergency, bool stillDown = false)
    {
        var downMinutes = 60 * (1 + 7.5 * Math.Pow(_rng.NextDouble(), 2)) * (emergency ? 1.3 : 1);
        var restored = at.AddMinutes(Math.Round(downMinutes));
        if (!stillDown && (restored > _ref.AddDays(-1) || IsStopped(assetId, at.AddHours(-1), restored.AddHours(1)))) return null;

        var asset = _assets[assetId];
        var (_, causes) = DemoCatalog.FailureTypes.First(f => f.Type == type);
        var severity = emergency ? 4 + _rng.Next(0, 2) : 1 + _rng.Next(0, 4);
        var created = at.AddMinutes(_rng.Next(10, 40));
        var priority = emergency ? 1 : Math.Max(1, Math.Min(5, asset.Priority + _rng.Next(0, 2)));
        var order = new SimWorkOrder
        {
            Type = emergency ? WorkOrderType.Emergency : WorkOrderType.Corrective, AssetId = assetId, Priority = priority,
            Title = FailureTitle(type, asset.Name), Description = $"Detención de {asset.Name}: {causes[0].ToLowerInvariant()} probable.",
            CreatedAt = created, CreatedBy = DemoCatalog.Supervisor, DueAt = created.AddDays(priority switch { 1 => 1, 2 => 3, 3 => 7, _ => 14 }),
            Responsible = Technician(), Reported = true,
        };
        var repair = new SimTask { Description = $"Diagnosticar y reparar: {order.Title.ToLowerInvariant()}", PlannedMinutes = (int)Math.Round(downMinutes * Between(0.5, 0.8) / 10) * 10 + 10 };
        repair.DownStart = at;
        order.Tasks.Add(repair);
        var withTest = _rng.NextDouble() < 0.5;
        if (withTest) order.Tasks.Add(new SimTask { Description = "Prueba de funcionamiento y entrega a producción", PlannedMinutes = 30 });
        _orders.Add(order);
        if (stillDown) return order;

        repair.Start = Whole(at.AddMinutes(Math.Min(downMinutes * 0.3, _rng.Next(10, 45))));
        repair.End = restored;
        repair.DownEnd = restored;
        repair.Failure = new TaskFailure(type, Pick(causes), severity);
        if (withTest)
        {
            order.Tasks[1].Start = restored;
            order.Tasks[1].End = restored.AddMinutes(_rng.Next(20, 41));
        }
        var expensive = BadActors.Contains(assetId);
        order.Resources.Add(Labour(repair, emergency ? 2 : 1));
        var spare = DemoInventory.Find(Pick(DemoInventory.Spares(type, expensive)));
        order.Resources.Add(new SimResource(ResourceKind.Part, spare.Name, spare.Code, 1 + (expensive ? 0 : _rng.Next(0, 2)), spare.UnitCost));
        if (assetId is "CAL-01" or "CHL-01" || (!expensive && _rng.NextDouble() < 0.1))
            order.Resources.Add(new SimResource(ResourceKind.Service, "Servicio técnico externo", null, 1, Thousands((expensive ? Between(4e5, 1.5e6) : Between(1e5, 4e5)))));
        if (_rng.NextDouble() < 0.4) order.Notes.Add((restored.AddMinutes(5), order.Responsible, $"Se reemplazó {spare.Name.ToLowerInvariant()}; equipo operativo."));
        Close(order);
        return order;
    }

    private static string FailureTitle(string type, string asset) => type switch
    {
        "Mecánica" => $"Ruido y vibración anormal en {asset}",
        "Eléctrica" => $"Falla eléctrica: {asset} no arranca",
        "Neumática" => $"Fuga de aire en {asset}",
        "Lubricación" => $"Falta de lubricación en {asset}",
        "Instrumentación" => $"Lecturas erróneas de sensor en {asset}",
        _ => $"Sobretemperatura en {asset}",
    };

    private static readonly string[] SmallJobs =
    [
        "Ajuste de sensor de presencia", "Cambio de luminaria", "Reparación de guarda de seguridad", "Reapriete de conexiones eléctricas",
        "Cambio de manómetro", "Reparación de fuga menor de agua", "Ajuste de guías", "Reemplazo de botonera", "Limpieza de drenaje", "Cambio de manguera",
    ];

    /// <summary>Corrective work without a failure: small jobs, duplicates cancelled, two long outages (a retrofit and a reconditioning).</summary>
    private void GenerateSmallCorrectiveJobs()
    {
        for (var i = 0; i < 26; i++)
        {
            var asset = Pick(DemoCatalog.Equipment);
            var created = WorkingTime(_firstDay.AddDays(_rng.Next(0, SimulatedDays - 2)));
            var order = NewCorrective(asset.Id, $"{Pick(SmallJobs)} - {asset.Name}", created, Math.Min(5, asset.Priority + 1));
            order.Reported = true;
            var task = new SimTask { Description = order.Title, PlannedMinutes = 30 * _rng.Next(1, 8) };
            order.Tasks.Add(task);
            var start = Whole(created.AddHours(Between(1, 72)));
            if (start.AddMinutes(task.PlannedMinutes * 1.5) > _ref) continue;
            task.Start = start;
            task.End = Whole(start.AddMinutes(task.PlannedMinutes * Between(0.7, 1.4)));
            order.Resources.Add(Labour(task));
            Close(order);
        }
        // Jobs nobody got to: reported weeks ago, still in process and past their due date.
        for (var i = 0; i < 4; i++)
        {
            var asset = Pick(DemoCatalog.Equipment);
            var order = NewCorrective(asset.Id, $"{Pick(SmallJobs)} - {asset.Name}", WorkingTime(LocalDay(_ref).AddDays(-_rng.Next(12, 75))), 3 + _rng.Next(0, 2));
            order.Reported = true;
            order.Tasks.Add(new SimTask { Description = order.Title, PlannedMinutes = 30 * _rng.Next(2, 9) });
        }
        foreach (var original in _orders.Where(o => o.FailureTask is not null && o.Status == WorkOrderStatus.Completed).Take(5).ToList())
        {
            var duplicate = NewCorrective(original.AssetId, original.Title, original.CreatedAt.AddMinutes(_rng.Next(5, 30)), original.Priority);
            duplicate.Tasks.Add(new SimTask { Description = original.Tasks[0].Description, PlannedMinutes = 60 });
            duplicate.Status = WorkOrderStatus.Cancelled;
            duplicate.CancelledAt = Whole(duplicate.CreatedAt.AddHours(Between(0.5, 4)));
            duplicate.CancelReason = "Duplicada: la falla ya se atiende en otra orden.";
        }
        LongOutage("GRH-03", "Reacondicionamiento de Grúa Horquilla N°3 (sistema hidráulico y mástil)", 6000);
        LongOutage("TRB-02", "Modificación de guías del Transportador de Botellas N°2 para formato 3 L", 2400);
    }

    private void LongOutage(string assetId, string title, int plannedMinutes)
    {
        var (from, to) = _stops[assetId].Last();
        var order = NewCorrective(assetId, title, from.AddDays(-3), 3);
        var task = new SimTask { Description = title, PlannedMinutes = plannedMinutes, Start = from, End = to, DownStart = from, DownEnd = to };
        order.Tasks.Add(task);
        order.Resources.Add(new SimResource(ResourceKind.Labour, "Cuadrilla de 2 técnicos", null, Math.Round(plannedMinutes / 60m * 1.1m, 2), DemoCatalog.LabourRate));
        order.Resources.Add(new SimResource(ResourceKind.Service, "Servicio de maestranza externa", null, 1, Thousands(Between(8e5, 2e6))));
        Close(order);
    }

    /// <summary>
    /// Open improvement and repair projects sized so the open work adds up to about 3.5 weeks of the crew's
    /// capacity (8 technicians × 40 h): the backlog figure of the reference.
    /// </summary>
    private void GenerateBacklogProjects()
    {
        var open = _orders.Where(o => o.Status == WorkOrderStatus.InProcess).SelectMany(o => o.Tasks).Where(t => !t.Done).Sum(t => t.PlannedMinutes);
        var needed = (int)(3.5 * DemoPlant.CrewHoursPerWeek * 60) - open;
        (string Asset, string Title)[] projects =
        [
            ("TRC-01", "Reacondicionamiento del Transportador de Cajas"), ("CAL-01", "Reemplazo de refractario de caldera"),
            ("TGD-01", "Normalización del Tablero General según inspección SEC"), ("ENC-01", "Overhaul de cabezal de encajonadora"),
            ("TOR-01", "Cambio de relleno de torre de enfriamiento"),
        ];
        foreach (var (i, (assetId, title)) in projects.Index())
        {
            var share = needed / projects.Length + (i == 0 ? needed % projects.Length : 0);
            var created = WorkingTime(LocalDay(_ref).AddDays(-20 + 3 * i));
            var order = NewCorrective(assetId, title, created, 3 + i % 2);
            var left = share;
            foreach (var step in new[] { "Levantamiento y compra de materiales", "Ejecución en terreno", "Pruebas y puesta en marcha" })
            {
                var minutes = step == "Pruebas y puesta en marcha" ? left : (int)(share * (step.StartsWith("Ejec") ? 0.6 : 0.25));
                order.Tasks.Add(new SimTask { Description = step, PlannedMinutes = minutes });
                left -= minutes;
            }
        }
    }

    private SimWorkOrder NewCorrective(string assetId, string title, DateTimeOffset created, int priority)
    {
        var order = new SimWorkOrder
        {
            Type = WorkOrderType.Corrective, AssetId = assetId, Priority = priority, Title = title, CreatedAt = created,
            CreatedBy = DemoCatalog.Supervisor, DueAt = created.AddDays(priority switch { 1 => 1, 2 => 3, 3 => 7, 4 => 14, _ => 30 }), Responsible = Technician(),
        };
        _orders.Add(order);
        return order;
    }

    private int WeightedIndex(IReadOnlyList<double> weights)
    {
        var r = _rng.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Count; i++)
        {
            r -= weights[i];
            if (r < 0) return i;
        }
        return weights.Count - 1;
    }
}
