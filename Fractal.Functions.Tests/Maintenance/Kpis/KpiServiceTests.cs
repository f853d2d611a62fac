using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Demo;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Kpis;
using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Maintenance.Stores.WorkOrders;
using Fractal.Functions.Tests.Maintenance.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Maintenance.Kpis;

public sealed class KpiServiceTests
{
    private static readonly DateOnly From = new(2025, 7, 1), To = new(2026, 7, 1);

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value,
        new System.Text.Json.JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });

    [Fact]
    public async Task A_location_scope_and_per_asset_grouping_add_up_to_the_plant()
    {
        var demo = await DemoPlantFixture.GetAsync();
        var kpis = demo.Host.Services.GetRequiredService<IKpiService>();
        KpiRequest Request(string? scope = null, KpiGrouping group = KpiGrouping.None) =>
            new([KpiKind.Failures, KpiKind.MaintenanceCost, KpiKind.DowntimeHours], From, To, scope, group, AsOf: DemoPlant.ReferenceDate);

        var plant = (await kpis.ComputeAsync(demo.Tenant, Request())).Value.Results;
        var byAsset = (await kpis.ComputeAsync(demo.Tenant, Request(group: KpiGrouping.Asset))).Value.Results;
        var areas = await Task.WhenAll(new[] { "SRV", "L1", "L2", "BOD", "INS" }.Select(a => kpis.ComputeAsync(demo.Tenant, Request(a))));

        foreach (var kind in new[] { KpiKind.Failures, KpiKind.MaintenanceCost, KpiKind.DowntimeHours })
        {
            var total = plant.Single(r => r.Kpi == kind).Value!.Value;
            Assert.Equal(total, byAsset.Where(r => r.Kpi == kind).Sum(r => r.Value!.Value), 6);
            Assert.Equal(total, areas.Sum(a => a.Value.Results.Single(r => r.Kpi == kind).Value!.Value), 6);
        }
        Assert.Equal(36, byAsset.Count(r => r.Kpi == KpiKind.Failures));
        var filler = (await kpis.ComputeAsync(demo.Tenant, Request("LLE-01"))).Value.Results.Single(r => r.Kpi == KpiKind.Failures);
        Assert.Equal(14, filler.Value);
    }

    [Fact]
    public async Task Every_result_carries_its_formula_unit_numerator_denominator_and_coverage()
    {
        var demo = await DemoPlantFixture.GetAsync();
        var report = (await demo.Host.Services.GetRequiredService<IKpiService>().ComputeAsync(demo.Tenant,
            new KpiRequest(Enum.GetValues<KpiKind>(), From, To, AsOf: DemoPlant.ReferenceDate))).Value;

        Assert.Equal("America/Santiago", report.TimeZone);
        Assert.Equal(Enum.GetValues<KpiKind>().Length, report.Results.Count);
        Assert.All(report.Results, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Formula));
            Assert.False(string.IsNullOrWhiteSpace(r.Unit));
            Assert.NotNull(r.Value);
            Assert.True(r.Coverage.RecordsUsed > 0, $"{r.Kpi} used no records");
        });
    }

    [Fact]
    public async Task Reports_computed_together_from_one_set_of_reads_equal_the_same_reports_computed_apart()
    {
        var demo = await DemoPlantFixture.GetAsync();
        var kpis = demo.Host.Services.GetRequiredService<IKpiService>();
        var all = Enum.GetValues<KpiKind>();
        KpiRequest[] requests =
        [
            new(all, new DateOnly(2026, 1, 1), new DateOnly(2026, 4, 1), "L1", AsOf: DemoPlant.ReferenceDate),
            new(all, From, To, "L1", KpiGrouping.Month, FirstTimeFixWindowDays: 60, AsOf: DemoPlant.ReferenceDate),
            new([KpiKind.Failures, KpiKind.BacklogWeeks, KpiKind.OverdueWorkOrders], From, To, "L1", KpiGrouping.Asset, AsOf: DemoPlant.ReferenceDate),
        ];

        var together = (await kpis.ComputeAllAsync(demo.Tenant, requests)).Value;
        var apart = await Task.WhenAll(requests.Select(r => kpis.ComputeAsync(demo.Tenant, r)));

        Assert.Equal(requests.Length, together.Count);
        for (var i = 0; i < requests.Length; i++)
            Assert.Equal(Json(apart[i].Value), Json(together[i]));
    }

    [Fact]
    public async Task The_open_work_snapshot_is_the_same_for_a_recent_and_an_old_period()
    {
        var demo = await DemoPlantFixture.GetAsync();
        var kpis = demo.Host.Services.GetRequiredService<IKpiService>();
        KpiRequest Backlog(DateOnly from, DateOnly to) => new([KpiKind.BacklogWeeks, KpiKind.OverdueWorkOrders], from, to, AsOf: DemoPlant.ReferenceDate);

        var recent = (await kpis.ComputeAsync(demo.Tenant, Backlog(From, To))).Value.Results;
        var old = (await kpis.ComputeAsync(demo.Tenant, Backlog(new DateOnly(2024, 1, 1), new DateOnly(2024, 7, 1)))).Value.Results;

        Assert.True(recent[0].Value > 0, "the demo plant has open work");
        Assert.Equal(Json(recent), Json(old));
    }

    [Fact]
    public void The_ranges_the_kpi_reads_merge_hold_no_other_row_family_between_their_parts()
    {
        // KpiService reads the open-work row, x|do| and x|od|{as-of} as a single range: a family keyed between those
        // parts would be read (and dropped) by every KPI call.
        var families = typeof(WorkOrderRows).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!)
            .Concat([KpiRollups.MonthPrefix, KpiRollups.OpenKey]).ToList();
        Assert.Contains(WorkOrderRows.ByStatus, families);
        Assert.DoesNotContain(families, f => string.CompareOrdinal(f, WorkOrderRows.OpenDowntime) > 0 && string.CompareOrdinal(f, WorkOrderRows.OpenByDue) < 0);
        Assert.DoesNotContain(families, f => string.CompareOrdinal(f, KpiRollups.OpenKey) > 0 && string.CompareOrdinal(f, WorkOrderRows.OpenDowntime) < 0);
        Assert.False(KpiRollups.OpenKey.StartsWith(WorkOrderRows.OpenDowntime, StringComparison.Ordinal)); // not read as open downtime
        Assert.True(string.CompareOrdinal(KpiRollups.OpenKey, Keys.After(WorkOrderRows.ByEnded)) > 0); // after every x|de| row
    }

    [Fact]
    public async Task Bad_requests_are_typed_errors()
    {
        var demo = await DemoPlantFixture.GetAsync();
        var kpis = demo.Host.Services.GetRequiredService<IKpiService>();
        Assert.Equal(DomainErrorKind.Invalid, (await kpis.ComputeAsync(demo.Tenant, new KpiRequest([KpiKind.Failures], To, From))).Error!.Kind);
        Assert.Equal(DomainErrorKind.Invalid, (await kpis.ComputeAsync(demo.Tenant, new KpiRequest([], From, To))).Error!.Kind);
        Assert.Equal(DomainErrorKind.NotFound, (await kpis.ComputeAsync(demo.Tenant, new KpiRequest([KpiKind.Failures], From, To, "NOPE"))).Error!.Kind);
        Assert.Equal(DomainErrorKind.Invalid, (await kpis.RankBadActorsAsync(demo.Tenant, new BadActorRequest(From, To, BadActorMeasure.Cost, 0))).Error!.Kind);
    }
}
