using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Demo;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Requests;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Search;
using Fractal.Functions.Tests.Maintenance.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Maintenance.Stores;

/// <summary>Every access path returns exactly what a brute-force filter over the generated demo plant returns.</summary>
public sealed class AccessPathTests
{
    private static readonly DateTimeOffset Now = DemoPlant.ReferenceDate;

    /// <summary>Follows the cursor to the end with an odd page size, refusing duplicates.</summary>
    internal static async Task<List<T>> ReadAllAsync<T>(Func<PageRequest, Task<DomainResult<Page<T>>>> list, int pageSize = 37)
    {
        var all = new List<T>();
        string? cursor = null;
        do
        {
            var page = await list(new PageRequest(pageSize, cursor));
            Assert.True(page.IsSuccess, page.ToString());
            all.AddRange(page.Value.Items);
            cursor = page.Value.NextCursor;
        } while (cursor is not null);
        return all;
    }

    private static DateTimeOffset Local(int y, int m, int d) => DemoPlant.Clock.StartOfDay(new DateOnly(y, m, d));

    public static TheoryData<string> WorkOrderCases() => new(WorkOrderQueries.Keys);

    private static readonly Dictionary<string, WorkOrderQuery> WorkOrderQueries = BuildQueries();

    private static Dictionary<string, WorkOrderQuery> BuildQueries()
    {
        var q = new Dictionary<string, WorkOrderQuery> { ["all"] = new() };
        foreach (var s in Enum.GetValues<WorkOrderStatus>()) q[$"status {s}"] = new() { Status = s };
        foreach (var t in Enum.GetValues<WorkOrderType>()) q[$"type {t}"] = new() { Type = t };
        for (var p = 1; p <= 5; p++) q[$"priority {p}"] = new() { Priority = p };
        foreach (var a in new[] { "PEA", "SRV", "L1", "SRV-AIRE", "L1-LLEN", "LLE-01", "TAP-01", "CMP-02", "BOD-MAN" }) q[$"asset {a}"] = new() { AssetId = a };
        foreach (var (id, _) in DemoCatalog.Technicians) q[$"responsible {id}"] = new() { Responsible = id };
        q["responsible in another case"] = new() { Responsible = "TEC-03" };
        q["created in January"] = new() { DateField = WorkOrderDateField.Created, From = Local(2026, 1, 1), To = Local(2026, 2, 1) };
        q["due in February"] = new() { DateField = WorkOrderDateField.Due, From = Local(2026, 2, 1), To = Local(2026, 3, 1) };
        q["ended in December"] = new() { DateField = WorkOrderDateField.Ended, From = Local(2025, 12, 1), To = Local(2026, 1, 1) };
        q["due from June on"] = new() { DateField = WorkOrderDateField.Due, From = Local(2026, 6, 1) };
        q["created before August"] = new() { DateField = WorkOrderDateField.Created, To = Local(2025, 8, 1) };
        q["overdue"] = new() { OverdueOnly = true };
        q["overdue preventive"] = new() { OverdueOnly = true, Type = WorkOrderType.Preventive };
        q["completed corrective on line 1"] = new() { Status = WorkOrderStatus.Completed, Type = WorkOrderType.Corrective, AssetId = "L1" };
        q["priority 1 ended in Q1"] = new() { Priority = 1, DateField = WorkOrderDateField.Ended, From = Local(2026, 1, 1), To = Local(2026, 4, 1) };
        q["tec-02 in review"] = new() { Responsible = "tec-02", Status = WorkOrderStatus.InReview };
        return q;
    }

    private static bool BruteForce(WorkOrder w, WorkOrderQuery q, IReadOnlyDictionary<string, Asset> assets)
    {
        if (q.Status is { } s && w.Status != s) return false;
        if (q.Type is { } t && w.Type != t) return false;
        if (q.Priority is { } p && w.Priority != p) return false;
        if (q.AssetId is { } a && !assets[w.AssetId].Path.StartsWith(assets[a].Path, StringComparison.Ordinal)) return false;
        if (q.Responsible is { } r && !string.Equals(w.Responsible, r, StringComparison.OrdinalIgnoreCase)) return false;
        if (q.OverdueOnly && !(w.Status == WorkOrderStatus.InProcess && w.DueAt < Now)) return false;
        if (q.DateField is { } f)
        {
            var date = f switch { WorkOrderDateField.Created => w.CreatedAt, WorkOrderDateField.Due => w.DueAt, _ => w.EndedAt };
            if (date is null || date < q.From || date >= q.To) return false;
        }
        return true;
    }

    [Theory]
    [MemberData(nameof(WorkOrderCases))]
    public async Task A_work_order_list_returns_what_a_brute_force_filter_returns(string name)
    {
        var demo = await DemoPlantFixture.GetAsync();
        var query = WorkOrderQueries[name];
        var assets = demo.Data.Assets.ToDictionary(a => a.Id);
        var expected = demo.Data.WorkOrders.Select(w => w.Order).Where(w => BruteForce(w, query, assets)).Select(w => w.Folio).Order().ToList();

        var actual = await ReadAllAsync(p => demo.Host.WorkOrders.ListAsync(demo.Tenant, query, p));

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual.Select(s => s.Folio).Order().ToList());
        Assert.Equal(actual.Count, actual.Select(s => s.Folio).Distinct().Count());
    }

    [Fact]
    public async Task Asset_subtrees_levels_and_text_return_what_a_brute_force_filter_returns()
    {
        var demo = await DemoPlantFixture.GetAsync();
        foreach (var root in new[] { "PEA", "SRV", "L2", "SRV-FRIO", "GRH-01" })
        {
            var path = demo.Data.Assets.Single(a => a.Id == root).Path;
            var expected = demo.Data.Assets.Where(a => a.Path.StartsWith(path, StringComparison.Ordinal)).Select(a => a.Id).Order();
            var actual = await ReadAllAsync(p => demo.Host.Assets.ListAsync(demo.Tenant, new AssetQuery(SubtreeOf: root), p), 7);
            Assert.Equal(expected, actual.Select(a => a.Id).Order());
        }
        var equipmentUnderServices = await ReadAllAsync(p => demo.Host.Assets.ListAsync(demo.Tenant, new AssetQuery(SubtreeOf: "SRV", Level: AssetLevel.Equipment), p));
        Assert.Equal(12, equipmentUnderServices.Count);

        foreach (var text in new[] { "compresor", "GRUA", "bomba", "llenadora" })
        {
            var term = TextNormalizer.Terms(text).Single();
            var expected = demo.Data.Assets.Where(a => TextNormalizer.Terms($"{a.Id} {a.Name} {a.Description} {string.Join(' ', a.Groups ?? [])}").Any(t => t.StartsWith(term, StringComparison.Ordinal)))
                .Select(a => a.Id).Order();
            var actual = (await demo.Host.Assets.ListAsync(demo.Tenant, new AssetQuery(Text: text), new PageRequest(100))).Value.Items;
            Assert.Equal(expected, actual.Select(a => a.Id).Order());
        }
    }

    [Fact]
    public async Task Requests_by_status_return_what_a_brute_force_filter_returns()
    {
        var demo = await DemoPlantFixture.GetAsync();
        foreach (var status in Enum.GetValues<RequestStatus>().Cast<RequestStatus?>().Append(null))
        {
            var expected = demo.Data.Requests.Where(r => status is null || r.Status == status).Select(r => r.Id).Order().ToList();
            var actual = await ReadAllAsync(p => demo.Host.Requests.ListAsync(demo.Tenant, new RequestQuery(status), p));
            Assert.Equal(expected, actual.Select(r => r.Id).Order().ToList());
        }
        var urgentOpen = await ReadAllAsync(p => demo.Host.Requests.ListAsync(demo.Tenant, new RequestQuery(RequestStatus.WorkOrderInProcess, Urgent: true), p));
        Assert.Equal(demo.Data.Requests.Count(r => r.Status == RequestStatus.WorkOrderInProcess && r.Urgent), urgentOpen.Count);
    }

    [Fact]
    public async Task Pending_tasks_by_due_date_return_what_a_brute_force_filter_returns()
    {
        var demo = await DemoPlantFixture.GetAsync();
        var plans = demo.Host.Services.GetRequiredService<IPlanService>();
        (PendingTaskQuery Query, Func<Fractal.Functions.Maintenance.Domain.Plans.PendingTask, bool> Expected)[] cases =
        [
            (new PendingTaskQuery(), p => p.CalculatedDueAt is not null),
            (new PendingTaskQuery(OverdueOnly: true), p => p.CalculatedDueAt < Now),
            (new PendingTaskQuery(Local(2026, 7, 1), Local(2026, 8, 1)), p => p.CalculatedDueAt >= Local(2026, 7, 1) && p.CalculatedDueAt < Local(2026, 8, 1)),
            (new PendingTaskQuery(AssetId: "CHL-01"), p => p.CalculatedDueAt is not null && p.AssetId == "CHL-01"),
        ];
        foreach (var (query, predicate) in cases)
        {
            var expected = demo.Data.PendingTasks.Where(predicate).Select(p => p.Id).Order().ToList();
            var actual = await ReadAllAsync(p => plans.ListPendingTasksAsync(demo.Tenant, query, p), 9);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, actual.Select(p => p.Id).Order().ToList());
        }
        var dueDates = (await ReadAllAsync(p => plans.ListPendingTasksAsync(demo.Tenant, new PendingTaskQuery(), p))).Select(p => p.CalculatedDueAt).ToList();
        Assert.Equal(dueDates.Order(), dueDates);
    }

    [Fact]
    public async Task Stock_below_minimum_by_warehouse_and_by_part_return_what_a_brute_force_filter_returns()
    {
        var demo = await DemoPlantFixture.GetAsync();
        var inventory = demo.Host.Services.GetRequiredService<IInventoryService>();
        (StockQuery Query, Func<Fractal.Functions.Maintenance.Domain.Inventory.StockLevel, bool> Expected)[] cases =
        [
            (new StockQuery(BelowMinimumOnly: true), s => s.BelowMinimum),
            (new StockQuery(WarehouseId: DemoInventory.Crib), s => s.WarehouseId == DemoInventory.Crib),
            (new StockQuery(PartCode: "ROD-01"), s => s.PartCode == "ROD-01"),
            (new StockQuery(), _ => true),
        ];
        foreach (var (query, predicate) in cases)
        {
            var expected = demo.Data.Stock.Where(predicate).Select(s => $"{s.PartCode}@{s.WarehouseId}").Order().ToList();
            var actual = await ReadAllAsync(p => inventory.CheckStockAsync(demo.Tenant, query, p));
            Assert.Equal(expected, actual.Select(s => $"{s.PartCode}@{s.WarehouseId}").Order().ToList());
        }
    }

    [Fact]
    public async Task Meters_readings_and_downtime_return_what_a_brute_force_filter_returns()
    {
        var demo = await DemoPlantFixture.GetAsync();
        var meters = demo.Host.Services.GetRequiredService<IMeterService>();
        Assert.Equal(["H-CMP-02", "T-CMP-02"], (await ReadAllAsync(p => meters.ListAsync(demo.Tenant, "CMP-02", p))).Select(m => m.Id).Order());
        Assert.Equal(12, (await ReadAllAsync(p => meters.ListAsync(demo.Tenant, null, p))).Count);

        var (from, to) = (Local(2026, 1, 1), Local(2026, 2, 1));
        var readings = await ReadAllAsync(p => meters.ReadingsAsync(demo.Tenant, "H-CMP-01", from, to, p), 10);
        Assert.Equal(demo.Data.Readings.Where(r => r.MeterId == "H-CMP-01" && r.At >= from && r.At < to).Select(r => (r.At, r.Value)), readings.Select(r => (r.At, r.Value)));

        foreach (var asset in new[] { "LLE-01", "GRH-03", "TAP-01" })
        {
            var expected = demo.Data.WorkOrders.Select(w => w.Order).Where(w => w.AssetId == asset)
                .SelectMany(w => w.Tasks.Where(t => t.OutOfServiceStart is not null && t.OutOfServiceStart < to.AddMonths(5) && (t.OutOfServiceEnd ?? Now) > from)
                    .Select(t => (w.Folio, t.Id, t.OutOfServiceStart, t.OutOfServiceEnd)))
                .Order().ToList();
            var actual = (await demo.Host.Assets.GetDowntimeAsync(demo.Tenant, asset, from, to.AddMonths(5))).Value;
            Assert.Equal(expected, actual.Select(d => (d.Folio, d.TaskId, (DateTimeOffset?)d.Start, d.End)).Order().ToList());
        }
        var open = await demo.Host.Assets.GetOpenDowntimeAsync(demo.Tenant, null);
        Assert.Equal("TAP-01", Assert.Single(open).AssetId);
    }

    [Fact]
    public async Task The_location_tree_follows_the_hierarchy_to_the_depth_asked()
    {
        var demo = await DemoPlantFixture.GetAsync();
        var site = Assert.Single((await demo.Host.Assets.GetTreeAsync(demo.Tenant, null, 1)).Value);
        Assert.Equal(["Bodega", "Instalaciones", "Línea 1 Llenado", "Línea 2 Empaque", "Servicios"], site.Children.Select(c => c.Asset.Name).Order(StringComparer.Ordinal));
        Assert.All(site.Children, c => Assert.Empty(c.Children));
        int Count(AssetTreeNode n) => 1 + n.Children.Sum(Count);
        Assert.Equal(demo.Data.Assets.Count, Count(Assert.Single((await demo.Host.Assets.GetTreeAsync(demo.Tenant, null, 3)).Value)));
        var air = Assert.Single((await demo.Host.Assets.GetTreeAsync(demo.Tenant, "SRV-AIRE", 1)).Value);
        Assert.Equal(5, air.Children.Count);
    }

    [Fact]
    public async Task Search_over_the_demo_plant_finds_accented_names_from_unaccented_words()
    {
        var demo = await DemoPlantFixture.GetAsync();
        var search = demo.Host.Services.GetRequiredService<ISearchService>();
        var grua = (await search.SearchAsync(demo.Tenant, "grua horquilla", [SearchKind.Asset])).Value;
        Assert.Equal(["GRH-01", "GRH-02", "GRH-03"], grua.Take(3).Select(h => h.Id).Order());
        var compresor = (await search.SearchAsync(demo.Tenant, "Compresor N°2")).Value;
        Assert.Equal((SearchKind.Asset, "CMP-02"), (compresor[0].Kind, compresor[0].Id));
        Assert.Contains(compresor, h => h.Kind == SearchKind.WorkOrder);
        var folio = demo.Data.WorkOrders[100].Order.Folio;
        Assert.Equal(folio, (await search.SearchAsync(demo.Tenant, folio, [SearchKind.WorkOrder])).Value[0].Id);
    }
}
