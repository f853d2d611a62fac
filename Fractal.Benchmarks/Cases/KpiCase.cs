using System.Diagnostics;
using Azure.Data.Tables;
using Fractal.Benchmarks.Infrastructure;
using Fractal.Benchmarks.Load;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Demo;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Kpis;
using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Maintenance.Stores.Assets;
using Fractal.Functions.Maintenance.Stores.WorkOrders;
using Fractal.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Benchmarks.Cases;

/// <summary>
/// Issue 13 case 6 (formerly the opt-in KpiBenchmark test): the full KPI set over 12 months for plants of 1k,
/// 10k and 100k work orders. Each plant is the demo plant's 50 assets with N synthetic orders; the tenant holds
/// every row the KPI path reads (settings, assets, month rollups, open-work row, overdue and open-downtime
/// indexes) built from those orders exactly as the stores build them. The orders' own rows are not written:
/// the KPI path never reads them. Bar: the warm 100k set under 2 s.
/// </summary>
public static class KpiCase
{
    public static async Task RunAsync(BenchContext bench, int runs = 5)
    {
        await using var host = await BenchHost.StartAsync(bench.Azurite, bench.WorkFolder);
        var tables = host.Services.GetRequiredService<TableStore>();
        var kpis = host.Services.GetRequiredService<IKpiService>();
        var assets = DemoGenerator.Generate().Assets;
        var rows = new List<IReadOnlyList<string>>();
        foreach (var size in new[] { 1_000, 10_000, 100_000 })
        {
            var tenant = TenantId.New();
            var written = Rows(tenant.Value, assets, Orders(size, assets));
            await WriteAsync(tables, written);

            var all = new KpiRequest(Enum.GetValues<KpiKind>(), new DateOnly(2025, 7, 1), new DateOnly(2026, 7, 1), AsOf: DemoPlant.ReferenceDate);
            var first = await TimeAsync(() => kpis.ComputeAsync(tenant, all));
            var warm = await RunsAsync(runs, () => kpis.ComputeAsync(tenant, all));
            var monthly = await RunsAsync(runs, () => kpis.ComputeAsync(tenant, all with { GroupBy = KpiGrouping.Month }));
            var bad = await RunsAsync(runs, () => kpis.RankBadActorsAsync(tenant, new BadActorRequest(all.From, all.To, BadActorMeasure.Cost, 5, AsOf: DemoPlant.ReferenceDate)));
            rows.Add([$"{size:N0}", $"{written.Count:N0}", $"{first:N0}", $"{Stats.Median(warm):N0} ({Stats.Spread(warm)})",
                $"{Stats.Median(monthly):N0} ({Stats.Spread(monthly)})", $"{Stats.Median(bad):N0} ({Stats.Spread(bad)})", Stats.Median(warm) < 2000 ? "yes" : "NO"]);
        }
        Report.Line($"### KPIs at scale: the full KPI set (13 KPIs, whole plant, 12 months), ms; median of {runs} (spread)");
        Report.Line();
        Report.Table(["orders", "rows written", "KPI set, first call", "KPI set, warm", "by month, warm", "bad actors, warm", "< 2 s"], rows);
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> run)
    {
        var watch = Stopwatch.StartNew();
        await run();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task<List<double>> RunsAsync<T>(int runs, Func<Task<T>> run)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++) times.Add(await TimeAsync(run));
        return times;
    }

    private static readonly string[] FailureTypes = ["Mecánica", "Eléctrica", "Neumática"];

    /// <summary>N orders over the 12 months before the reference date: the demo's mix of types, failures, downtime, costs and open work.</summary>
    private static List<WorkOrder> Orders(int count, IReadOnlyList<Asset> assets)
    {
        var random = new Random(count);
        var equipment = assets.Where(a => a.Level == AssetLevel.Equipment).ToList();
        var (from, to) = DemoPlant.Period;
        var span = (long)(to - from).TotalSeconds;
        var orders = new List<WorkOrder>(count);
        for (var n = 1; n <= count; n++)
        {
            var asset = equipment[random.Next(equipment.Count)];
            var created = from.AddSeconds(random.NextInt64(span - 86_400));
            var type = (WorkOrderType)(random.NextDouble() switch { < 0.65 => 1, < 0.73 => 2, < 0.95 => 3, _ => 4 });
            var due = created.AddDays(7);
            var open = created > to.AddDays(-7) || random.NextDouble() < 0.01;
            var start = created.AddHours(1 + random.Next(0, 140));
            var minutes = 30 + random.Next(0, 240);
            var end = start.AddMinutes(minutes);
            var failure = type >= WorkOrderType.Corrective && random.NextDouble() < 0.7 ? new TaskFailure(FailureTypes[random.Next(FailureTypes.Length)], null, 3) : null;
            var done = !open && end < to;
            var task = new WorkOrderTask(1, "tarea", minutes, done ? minutes : null, done, done ? start : null, done ? end : null, done ? failure : null,
                failure is not null || type == WorkOrderType.Preventive ? start : null, failure is not null || type == WorkOrderType.Preventive ? (done ? end : null) : null);
            var status = done ? (random.NextDouble() < 0.98 ? WorkOrderStatus.Completed : WorkOrderStatus.InReview) : WorkOrderStatus.InProcess;
            orders.Add(new WorkOrder
            {
                Number = n, Title = "orden", Type = type, Priority = 1 + random.Next(5), Status = status, AssetId = asset.Id, AssetName = asset.Name, AssetPath = asset.Path,
                CreatedAt = created, CreatedBy = "bench", DueAt = due, EndedAt = done ? end : null, CompletedAt = done ? end.AddHours(4) : null,
                PlanIntervalDays = type.IsPlanned() ? 30 : null, Tasks = [task], Revision = 1, UpdatedAt = created, UpdatedBy = "bench",
                Resources = done ? [new WorkOrderResource(1, ResourceKind.Labour, "mano de obra", null, Math.Round(minutes / 60m, 2), 15000m), new WorkOrderResource(2, ResourceKind.Part, "repuesto", "ROD-01", 1, 14500m)] : [],
            });
        }
        return orders;
    }

    private static List<(string Table, ITableEntity Row)> Rows(string pk, IReadOnlyList<Asset> assets, List<WorkOrder> orders)
    {
        var rows = new List<(string, ITableEntity)> { (TableNames.MaintenanceSettings, TenantSettingsService.Encode(pk, DemoPlant.Settings)) };
        rows.AddRange(assets.SelectMany(a => AssetService.Rows(pk, a)).Select(r => (TableNames.Assets, r)));
        rows.AddRange(KpiRollups.Rows(pk, orders, DemoPlant.Settings).Select(r => (TableNames.WorkOrders, r)));
        rows.AddRange(orders.SelectMany(o => WorkOrderRows.Project(pk, o))
            .Where(r => r.RowKey.StartsWith(WorkOrderRows.OpenByDue, StringComparison.Ordinal) || r.RowKey.StartsWith(WorkOrderRows.OpenDowntime, StringComparison.Ordinal))
            .Select(r => (TableNames.WorkOrders, (ITableEntity)r)));
        return rows;
    }

    private static async Task WriteAsync(TableStore tables, List<(string Table, ITableEntity Row)> rows) =>
        await Parallel.ForEachAsync(rows.GroupBy(r => r.Table).SelectMany(g => BulkBatches.Chunk(g.Select(r => r.Row)).Select(c => (g.Key, c))), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (batch, ct) =>
            {
                var result = await tables.TrySubmitAsync(batch.Key, batch.c.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)).ToList(), ct);
                if (!result.Succeeded) throw new InvalidOperationException($"Writing the KPI plant failed: {result.Status}");
            });
}
