using Fractal.Functions.Maintenance.Demo;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Maintenance.Demo;

/// <summary>
/// The demo plant is current: generated relative to its anchor day (the day it is seeded), its last day is the day
/// before, and for one anchor it is always the same plant. Tests pin <see cref="DemoPlant.ReferenceDay"/>.
/// </summary>
public sealed class DemoAnchorTests
{
    private static readonly DateOnly Wednesday = new(2026, 11, 18);

    [Fact]
    public void A_plant_anchored_on_another_day_is_the_pinned_plant_moved_by_whole_local_days()
    {
        var pinned = DemoGenerator.Generate();
        var moved = DemoGenerator.Generate(Wednesday);
        var shift = Wednesday.DayNumber - DemoPlant.ReferenceDay.DayNumber;

        var (from, to) = DemoPlant.PeriodFor(Wednesday);
        Assert.Equal(DemoPlant.Clock.StartOfDay(Wednesday), to);
        Assert.All(moved.WorkOrders, w => Assert.InRange(w.Order.CreatedAt, from, to));
        Assert.InRange(moved.Readings.Max(r => DemoPlant.Clock.LocalDate(r.At)), Wednesday.AddDays(-7), Wednesday.AddDays(-1));

        // The planted bad actor fails on the same local days, moved, at the same local times.
        static IEnumerable<DateTime> FillerFailures(DemoDataset d) => d.Simulation.Where(o => o.AssetId == "LLE-01" && o.FailureTask?.DownStart is not null)
            .Select(o => DemoPlant.Clock.ToLocal(o.FailureTask!.DownStart!.Value)).Order();
        Assert.Equal(FillerFailures(pinned).Select(t => t.AddDays(shift)), FillerFailures(moved));
        Assert.Equal(pinned.WorkOrders.Count, moved.WorkOrders.Count);
    }

    [Fact]
    public void A_plant_seeded_today_has_work_due_this_week_and_only_a_few_overdue_orders()
    {
        var moved = DemoGenerator.Generate(Wednesday);
        var now = DemoPlant.Clock.StartOfDay(Wednesday).AddHours(9);
        var orders = moved.WorkOrders.Select(w => w.Order).ToList();
        var open = orders.Where(o => o.Status == WorkOrderStatus.InProcess).ToList();
        Assert.InRange(open.Count(o => o.IsOverdue(now)), 1, 20);
        Assert.True(open.Count > open.Count(o => o.IsOverdue(now)) + 5);
        var (monday, nextMonday) = DemoPlant.Clock.Days(new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 22));
        Assert.Contains(moved.PendingTasks, p => p.CalculatedDueAt >= monday && p.CalculatedDueAt < nextMonday);
        Assert.Contains(orders, o => o.CreatedAt >= DemoPlant.Clock.StartOfDay(Wednesday.AddDays(-7)));
    }

    [Fact]
    public void The_ground_truth_of_one_anchor_is_always_the_same_and_names_that_anchor()
    {
        var first = DemoGroundTruth.ToJson(DemoGroundTruth.Compute(DemoGenerator.Generate(Wednesday)));
        Assert.Equal(first, DemoGroundTruth.ToJson(DemoGroundTruth.Compute(DemoGenerator.Generate(Wednesday))));
        var truth = DemoGroundTruth.Compute(DemoGenerator.Generate(Wednesday));
        Assert.Equal(DemoPlant.Clock.StartOfDay(Wednesday), DateTimeOffset.Parse(truth["referenceDate"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEqual(first, DemoGroundTruthTests.CheckedIn.ToJsonString());
    }

    [Fact]
    public async Task The_loader_anchors_the_plant_on_the_clocks_local_today_and_moves_it_when_seeded_on_a_later_day()
    {
        // 2026-11-18 22:30 in Santiago is already the 19th in UTC: the plant's today is the 18th, its last day the 17th.
        var seededAt = DemoPlant.Clock.ToUtc(Wednesday.ToDateTime(new TimeOnly(22, 30)));
        await using var azurite = await Azurite.StartAsync();
        await using var app = await TestApp.StartAsync(azurite: azurite);
        var host = await MaintenanceTestHost.CreateAsync(seededAt, app: app);
        var loader = host.Services.GetRequiredService<DemoPlantLoader>();

        Assert.False((await loader.LoadAsync(host.Tenant, CancellationToken.None)).AlreadyLoaded);
        Assert.Equal($"{DemoPlant.Version}@2026-11-18", await MarkerAsync(host));
        var newest = (await host.WorkOrders.ListAsync(host.Tenant, new WorkOrderQuery(), PageRequest.First())).Value.Items[0];
        Assert.InRange(DemoPlant.Clock.LocalDate(newest.CreatedAt), Wednesday.AddDays(-7), Wednesday.AddDays(-1));

        Assert.True((await loader.LoadAsync(host.Tenant, CancellationToken.None)).AlreadyLoaded); // the same day: nothing to do
        host.Clock.Advance(TimeSpan.FromDays(1));
        Assert.False((await loader.LoadAsync(host.Tenant, CancellationToken.None)).AlreadyLoaded);
        Assert.Equal($"{DemoPlant.Version}@2026-11-19", await MarkerAsync(host));
    }

    private static async Task<string?> MarkerAsync(MaintenanceTestHost host) =>
        (await host.Services.GetRequiredService<TableStore>().FindAsync<IndexRow>(TableNames.MaintenanceSettings, host.Tenant.Value, DemoPlantLoader.MarkerKey))?.Ref;
}
