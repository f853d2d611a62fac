using Fractal.Functions.Maintenance.Domain.Meters;
using Fractal.Functions.Maintenance.Domain.Plans;
using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Maintenance.Demo;

internal sealed partial class DemoGenerator
{
    /// <summary>The meter threshold each meter-triggered order was made for, and the next threshold per task.</summary>
    private readonly Dictionary<SimWorkOrder, double> _thresholds = [];
    private readonly Dictionary<string, double> _nextThreshold = new(StringComparer.Ordinal);

    /// <summary>Preventive orders are issued this many days before they are due.</summary>
    private const int LeadDays = 14;

    private void GeneratePreventive(Dictionary<string, double[]> daily)
    {
        foreach (var plan in DemoCatalog.Plans)
        foreach (var task in plan.Tasks)
        foreach (var assetId in plan.Assets)
        {
            var id = PendingTask.MakeId(plan.Id, task.Id, assetId);
            if (task.Trigger == TriggerKind.EveryMeterUnits) MeterSeries(task, assetId, id, daily["H-" + assetId]);
            else if (task.Interval == 365) Overhaul(task, assetId, id);
            else DaySeries(task, assetId, id);
        }
    }

    /// <summary>A fixed-date cycle: due every N days; the order is created two weeks before each due date.</summary>
    private void DaySeries(PlanTask task, string assetId, string id)
    {
        for (var due = _firstDay.AddDays(LeadDays + _rng.Next(0, task.Interval)); ; due = due.AddDays(task.Interval))
        {
            var created = Local(due.AddDays(-LeadDays), 8, 0);
            if (created >= _ref) break;
            var order = NewPreventive(task, assetId, id, created, Local(due, 12, 0), task.Interval);
            var stop = _stops.GetValueOrDefault(assetId)?.FirstOrDefault(s => s.From <= order.DueAt && order.DueAt < s.To);
            if (stop is { From: var stopFrom } && stop.Value.From != default)
            {
                // Routine work that falls inside an overhaul is covered by it: the planner cancels the order.
                order.Status = WorkOrderStatus.Cancelled;
                order.CancelledAt = Max(created, stopFrom).AddHours(2);
                order.CancelReason = "Equipo en parada programada; la mantención mayor cubre esta tarea.";
                order.Tasks.Add(new SimTask { Description = task.Description, PlannedMinutes = task.EstimatedMinutes });
                continue;
            }
            RunPreventive(order, task, due);
        }
    }

    /// <summary>A meter cycle: due on the day the meter reaches each threshold; the order is created two weeks ahead (forecast).</summary>
    private void MeterSeries(PlanTask task, string assetId, string id, double[] values)
    {
        var perDay = (values[SimulatedDays - 1] - values[0]) / (SimulatedDays - 1);
        var intervalDays = (int)Math.Round(task.Interval / perDay);
        var threshold = values[LeadDays] + _rng.Next(1, task.Interval);
        while (true)
        {
            var day = Array.FindIndex(values, v => v >= threshold);
            var created = day < 0 ? _ref : Local(_firstDay.AddDays(day - LeadDays), 8, 0);
            if (created >= _ref)
            {
                _nextThreshold[id] = threshold;
                return;
            }
            var due = _firstDay.AddDays(day);
            var order = NewPreventive(task, assetId, id, created, Local(due, 12, 0), intervalDays);
            _thresholds[order] = threshold;
            RunPreventive(order, task, due);
            threshold += task.Interval;
        }
    }

    private SimWorkOrder NewPreventive(PlanTask task, string assetId, string id, DateTimeOffset created, DateTimeOffset due, int intervalDays)
    {
        var asset = _assets[assetId];
        var order = new SimWorkOrder
        {
            Type = task.WorkOrderType, AssetId = assetId, Priority = Math.Min(5, asset.Priority + 1), Title = $"{task.Description} - {asset.Name}",
            CreatedAt = created, CreatedBy = DemoCatalog.Planner, DueAt = due, IntervalDays = intervalDays, PendingTaskId = id, Responsible = Technician(),
        };
        _orders.Add(order);
        return order;
    }

    /// <summary>
    /// Routine work: usually done in the three days before its due date; late more often in January and
    /// most often in February (holidays and the plant shutdown take the crew): the PM compliance dip.
    /// December (year-end) is a little worse than the rest of the year too.
    /// A few orders are simply forgotten and stay open, overdue.
    /// </summary>
    private void RunPreventive(SimWorkOrder order, PlanTask plan, DateOnly due)
    {
        var onTime = Season(due) switch { 2 => 0.45, 1 => 0.72, 12 => 0.85, _ => 0.93 };
        var forgotten = order.DueAt > _ref.AddDays(-150) && order.DueAt < _ref.AddDays(-20) && _rng.NextDouble() < 0.05;
        var endDay = _rng.NextDouble() < onTime ? due.AddDays(-_rng.Next(0, 4)) : due.AddDays(1 + (int)(Math.Pow(_rng.NextDouble(), 2) * 14));
        var end = WorkingTime(endDay);
        var minutes = (int)Math.Round(plan.EstimatedMinutes * Between(0.8, 1.3));
        var task = new SimTask { Description = plan.Description, PlannedMinutes = plan.EstimatedMinutes };
        order.Tasks.Add(task);
        if (forgotten || end > _ref) return;

        task.Start = end.AddMinutes(-minutes);
        task.End = end;
        if (order.Type == WorkOrderType.Preventive && !IsStopped(order.AssetId, task.Start.Value, end))
        {
            task.DownStart = task.Start;
            task.DownEnd = end;
        }
        order.Resources.Add(Labour(task));
        var part = DemoInventory.Find(DemoInventory.Consumable(_assets[order.AssetId].Groups![0]));
        order.Resources.Add(new SimResource(Domain.WorkOrders.ResourceKind.Part, part.Name, part.Code, 1 + _rng.Next(0, 2), part.UnitCost));
        Close(order);
    }

    /// <summary>The annual overhaul: three tasks inside the asset's planned stop, which is one downtime interval.</summary>
    private void Overhaul(PlanTask plan, string assetId, string id)
    {
        var (from, to) = _stops[assetId][0];
        var feb = DemoCatalog.FebruaryShutdown.Contains(assetId);
        var due = feb ? LocalDay(from).AddDays(16) : LocalDay(to);
        var order = NewPreventive(plan, assetId, id, from.AddDays(-14), Local(due, 12, 0), 365);
        (string Text, double Share)[] steps = [("Detención, desarme e inspección", 0.3), ("Reemplazo de componentes de desgaste", 0.5), ("Armado, pruebas y entrega a producción", 0.2)];
        var cursor = from;
        foreach (var (i, (text, share)) in steps.Index())
        {
            var planned = (int)Math.Round(plan.EstimatedMinutes * share);
            var real = planned * Between(0.9, 1.3);
            var task = new SimTask { Description = text, PlannedMinutes = planned };
            task.Start = Whole(i == 2 ? to.AddMinutes(-real) : cursor);
            task.End = Whole(i == 2 ? to : cursor.AddMinutes(real));
            cursor = task.End.Value.AddHours(12);
            if (i == 0)
            {
                task.DownStart = from;
                task.DownEnd = to;
            }
            order.Tasks.Add(task);
            order.Resources.Add(Labour(task, 2));
        }
        var kit = DemoInventory.Find(feb ? "KIT-SEL-01" : DemoInventory.Spares("Térmica", false)[1]);
        order.Resources.Add(new SimResource(Domain.WorkOrders.ResourceKind.Part, kit.Name, kit.Code, feb ? 1 : 2, kit.UnitCost));
        if (assetId is "LLE-01" or "PAL-01" or "CMP-02")
            order.Resources.Add(new SimResource(Domain.WorkOrders.ResourceKind.Service, "Servicio técnico del fabricante", null, 1, Thousands(Between(1.2e6, 2.4e6))));
        Close(order);
    }

    /// <summary>The next occurrence of every (plan task, asset): the open order's date, or the one after the last.</summary>
    private List<PendingTask> BuildPendingTasks(IReadOnlyList<Meter> meters)
    {
        var pending = new List<PendingTask>();
        foreach (var plan in DemoCatalog.Plans)
        foreach (var task in plan.Tasks)
        foreach (var assetId in plan.Assets)
        {
            var id = PendingTask.MakeId(plan.Id, task.Id, assetId);
            var series = _orders.Where(o => o.PendingTaskId == id).OrderBy(o => o.DueAt).ToList();
            var open = series.FirstOrDefault(o => o.Status == WorkOrderStatus.InProcess);
            var lastDone = series.Where(o => o.EndedAt is not null).Select(o => o.EndedAt).Max();
            var asset = _assets[assetId];
            if (task.Trigger == TriggerKind.EveryMeterUnits)
            {
                var meter = meters.First(m => m.Id == "H-" + assetId);
                pending.Add(new PendingTask(id, plan.Id, task.Id, assetId, asset.Name, task.Description, task.Trigger, task.Interval, task.EstimatedMinutes,
                    task.WorkOrderType, open?.DueAt, LastDoneAt: lastDone, MeterId: meter.Id, NextMeterValue: open is null ? _nextThreshold[id] : _thresholds[open]));
                continue;
            }
            var due = open?.DueAt ?? (series.Count == 0 ? Local(_firstDay.AddDays(task.Interval), 12, 0) : Local(LocalDay(series[^1].DueAt!.Value).AddDays(task.Interval), 12, 0));
            pending.Add(new PendingTask(id, plan.Id, task.Id, assetId, asset.Name, task.Description, task.Trigger, task.Interval, task.EstimatedMinutes,
                task.WorkOrderType, due, LastDoneAt: lastDone));
        }
        return pending;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
