using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Meters;
using Fractal.Functions.Maintenance.Domain.Tenancy;
using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Maintenance.Demo;

/// <summary>
/// Builds the demo plant from a fixed seed: one year of operation before an anchor day (default
/// <see cref="DemoPlant.ReferenceDay"/>) simulated event by event (meter runs, preventive cycles with a holiday-month dip, planted bad actors and
/// repeat failures, requests). Same seed, same plant, on every machine. The simulation it keeps
/// (<see cref="DemoDataset.Simulation"/>) is what <see cref="DemoGroundTruth"/> computes the expected KPIs from.
/// Another anchor gives the same plant moved by whole local days: every planted date (<see cref="On"/>) and season
/// (<see cref="Season"/>) is written in the reference calendar and moves with it, every time of day stays.
/// </summary>
internal sealed partial class DemoGenerator
{
    private readonly Random _rng = new(DemoPlant.Seed);
    private readonly TenantClock _clock = DemoPlant.Clock;
    private readonly DateOnly _anchor;
    private readonly int _shift;
    private readonly DateTimeOffset _from;
    private readonly DateTimeOffset _ref;
    private readonly DateOnly _firstDay;
    private readonly List<SimWorkOrder> _orders = [];
    private readonly List<SimRequest> _requests = [];
    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);
    /// <summary>Planned stops (overhauls, long outages) per asset, decided first so nothing else happens during them.</summary>
    private readonly Dictionary<string, List<(DateTimeOffset From, DateTimeOffset To)>> _stops = new(StringComparer.Ordinal);

    public const int SimulatedDays = 365;

    private DemoGenerator(DateOnly anchor)
    {
        _anchor = anchor;
        _shift = anchor.DayNumber - DemoPlant.ReferenceDay.DayNumber;
        (_from, _ref) = DemoPlant.PeriodFor(anchor);
        _firstDay = anchor.AddDays(-SimulatedDays);
    }

    /// <summary>The plant whose last day is the day before <paramref name="anchor"/> (default: the pinned <see cref="DemoPlant.ReferenceDay"/>).</summary>
    public static DemoDataset Generate(DateOnly? anchor = null) => new DemoGenerator(anchor ?? DemoPlant.ReferenceDay).Run();

    private DemoDataset Run()
    {
        BuildAssets();
        PlanLongStops();
        var (meters, readings, daily) = SimulateMeters();
        GenerateFailures();
        GeneratePreventive(daily);
        GenerateSmallCorrectiveJobs();
        GenerateBacklogProjects();
        GenerateRequests();
        AssignNumbers();
        var (warehouses, parts, stock) = DemoInventory.Build(_rng);
        var pending = BuildPendingTasks(meters);
        return new DemoDataset(
            [.. _assets.Values], meters, readings, DemoCatalog.Plans.Select(p => new Domain.Plans.PreventivePlan(p.Id, p.Name, p.Assets, p.Tasks)).ToList(),
            pending, _orders.Select(o => DemoRecords.WorkOrder(o, _assets[o.AssetId])).ToList(),
            _requests.Select(r => DemoRecords.Request(r, r.AssetId is null ? null : _assets[r.AssetId])).ToList(),
            warehouses, parts, stock, _orders, _anchor);
    }

    private void BuildAssets()
    {
        foreach (var (id, name, parent, level, priority) in DemoCatalog.Locations)
        {
            var path = Asset.ChildPath(parent is null ? null : _assets[parent].Path, id);
            _assets[id] = new Asset(id, name, AssetKind.Location, level, parent, path, priority);
        }
        foreach (var (id, name, system, priority, group) in DemoCatalog.Equipment)
        {
            var kind = group == "Grúas" ? AssetKind.Tool : AssetKind.Equipment;
            var fields = new Dictionary<string, string> { ["fabricante"] = Manufacturer(group), ["año"] = (2008 + _rng.Next(0, 15)).ToString() };
            _assets[id] = new Asset(id, name, kind, AssetLevel.Equipment, system, Asset.ChildPath(_assets[system].Path, id), priority,
                CustomFields: fields, Groups: [group]);
        }
    }

    private static string Manufacturer(string group) => group switch
    {
        "Compresores" => "Atlas Copco", "Frío" => "Carrier", "Vapor" => "Loos", "Llenado" => "Krones", "Etiquetado" => "Sidel",
        "Grúas" => "Toyota", "Empaque" => "KHS", "Energía" => "Schneider Electric", _ => "Genérico",
    };

    /// <summary>Annual overhauls (production in the February shutdown, utilities spread) and two long non-failure outages.</summary>
    private void PlanLongStops()
    {
        foreach (var id in DemoCatalog.FebruaryShutdown)
        {
            var start = Local(On(2026, 2, 2), 6, 0);
            AddStop(id, start, start.AddDays(14 + _rng.Next(0, 5)).AddHours(_rng.Next(0, 10)));
        }
        (string Id, DateOnly Day, int Days)[] utilities =
            [("CMP-01", On(2025, 8, 11), 5), ("CMP-02", On(2025, 10, 20), 6), ("CMP-03", On(2026, 4, 13), 5),
             ("BCI-01", On(2025, 9, 22), 1), ("GEN-01", On(2025, 11, 17), 2), ("TRF-01", On(2026, 1, 10), 1), ("TGD-01", On(2026, 1, 11), 1)];
        foreach (var (id, day, days) in utilities)
        {
            var start = Local(day, 7, 0);
            AddStop(id, start, start.AddDays(days).AddHours(-_rng.Next(2, 8)));
        }
        AddStop("GRH-03", Local(On(2025, 10, 6), 8, 0), Local(On(2025, 11, 10), 17, 0));
        AddStop("TRB-02", Local(On(2026, 4, 13), 7, 0), Local(On(2026, 4, 23), 18, 0));
    }

    private void AddStop(string asset, DateTimeOffset from, DateTimeOffset to)
    {
        if (!_stops.TryGetValue(asset, out var list)) _stops[asset] = list = [];
        list.Add((from, to));
    }

    /// <summary>True when the asset is stopped (planned stop or a downtime already generated) at any time in [from, to).</summary>
    private bool IsStopped(string asset, DateTimeOffset from, DateTimeOffset to) =>
        (_stops.TryGetValue(asset, out var stops) && stops.Any(s => s.From < to && from < s.To))
        || _orders.Where(o => o.AssetId == asset).SelectMany(o => o.Tasks)
            .Any(t => t.DownStart is { } s && s < to && from < (t.DownEnd ?? DateTimeOffset.MaxValue));

    /// <summary>
    /// Daily (or weekly) readings for the year, plus twenty days past the reference date (no readings stored
    /// there) so preventive orders created two weeks ahead of a meter threshold know when it will be reached.
    /// </summary>
    private (List<Meter> Meters, List<MeterReading> Readings, Dictionary<string, double[]> Daily) SimulateMeters()
    {
        var meters = new List<Meter>();
        var readings = new List<MeterReading>();
        var daily = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var (id, assetId, name, unit, kind, rate, every) in DemoCatalog.Meters)
        {
            var meter = new Meter(id, assetId, name, unit, kind, Serial: $"SN-{_rng.Next(100000, 999999)}");
            var values = new double[SimulatedDays + 20];
            var value = kind == MeterKind.Counter ? Math.Round(rate * _rng.Next(300, 900), 0) : rate;
            for (var day = 0; day < values.Length; day++)
            {
                var date = _firstDay.AddDays(day);
                if (kind == MeterKind.Counter)
                {
                    var stopped = IsStopped(assetId, Local(date, 0, 0), Local(date.AddDays(1), 0, 0));
                    value = Math.Round(value + (stopped ? 0 : Math.Round(rate * (0.85 + 0.3 * _rng.NextDouble()), 1)), 1);
                }
                else
                {
                    var summer = Season(date) is 12 or 1 or 2 && id == "T-CMP-02" ? 8 : 0;
                    value = Math.Round(rate + summer + (_rng.NextDouble() - 0.5) * rate * 0.08, 1);
                }
                values[day] = value;
                if (day < SimulatedDays && day % every == 0)
                {
                    var at = Local(date, 7, _rng.Next(0, 50));
                    readings.Add(new MeterReading(id, at, value, DemoCatalog.Technicians[day % DemoCatalog.Technicians.Length].Id));
                    meter = meter.Apply(value, at).Value;
                }
            }
            daily[id] = values;
            meters.Add(meter);
        }
        return (meters, readings, daily);
    }

    private void AssignNumbers()
    {
        var n = 0L;
        foreach (var order in _orders.Select((o, i) => (o, i)).OrderBy(x => x.o.CreatedAt).ThenBy(x => x.i).Select(x => x.o)) order.Number = ++n;
        n = 0;
        foreach (var request in _requests.Select((r, i) => (r, i)).OrderBy(x => x.r.CreatedAt).ThenBy(x => x.i).Select(x => x.r)) request.Number = ++n;
        foreach (var request in _requests.Where(r => r.WorkOrder is not null)) request.WorkOrder!.RequestId = Domain.Requests.ServiceRequest.FormatId(request.Number);
        _orders.Sort((a, b) => a.Number.CompareTo(b.Number));
        _requests.Sort((a, b) => a.Number.CompareTo(b.Number));
    }

    // ---- small helpers shared by the partial files ----

    /// <summary>A date of the reference calendar (what the planted events are written in), moved with the anchor.</summary>
    private DateOnly On(int year, int month, int day) => new DateOnly(year, month, day).AddDays(_shift);

    /// <summary>The month a day falls in on the reference calendar: seasons (a summer compressor, the holiday dip) move with the anchor.</summary>
    private int Season(DateOnly day) => day.AddDays(-_shift).Month;

    private DateTimeOffset Local(DateOnly day, int hour, int minute) => _clock.ToUtc(day.ToDateTime(new TimeOnly(hour, minute)));

    private DateOnly LocalDay(DateTimeOffset instant) => _clock.LocalDate(instant);

    /// <summary>A time in working hours (08:00-17:00 local) on a day.</summary>
    private DateTimeOffset WorkingTime(DateOnly day) => Local(day, 8 + _rng.Next(0, 9), _rng.Next(0, 60));

    private double Between(double min, double max) => min + (max - min) * _rng.NextDouble();

    private static decimal Thousands(double value) => (decimal)(Math.Round(value / 1000) * 1000);

    /// <summary>Whole seconds: every generated instant is, so every duration the KPIs sum is exact.</summary>
    private static DateTimeOffset Whole(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    private string Technician() => DemoCatalog.Technicians[_rng.Next(DemoCatalog.Technicians.Length)].Id;

    private SimResource Labour(SimTask task, int people = 1) =>
        new(ResourceKind.Labour, people == 1 ? "Técnico de mantención" : $"Cuadrilla de {people} técnicos",
            null, Math.Round((decimal)(task.RealMinutes ?? task.PlannedMinutes) / 60m * people, 2), DemoCatalog.LabourRate);

    /// <summary>
    /// Work done and reviewed: marks the order In review when the reviewer had not approved it by the
    /// reference date, Completed otherwise. The approval comes hours to weeks after the work ended.
    /// </summary>
    private void Close(SimWorkOrder order)
    {
        var ended = order.Tasks.Max(t => t.End)!.Value;
        var delay = _rng.NextDouble() < 0.5 ? TimeSpan.FromHours(Between(1, 96)) : TimeSpan.FromDays(Between(5, 40));
        var approved = Whole(ended + delay);
        if (approved > _ref)
        {
            order.Status = WorkOrderStatus.InReview;
            return;
        }
        order.Status = WorkOrderStatus.Completed;
        order.CompletedAt = approved;
    }
}
