using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Demo;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Kpis;
using Fractal.Functions.Tests.Maintenance.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Maintenance.Kpis;

public sealed class KpiServiceTests
{
    private static readonly DateOnly From = new(2025, 7, 1), To = new(2026, 7, 1);

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
