using System.Text.Json.Nodes;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Demo;
using Fractal.Functions.Maintenance.Kpis;
using Fractal.Functions.Tests.Maintenance.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Maintenance.Kpis;

/// <summary>The engine, reading the loaded demo plant, reproduces the ground truth the generator wrote from its own simulation.</summary>
public sealed class KpiGroundTruthTests
{
    private static readonly DateOnly From = new(2025, 7, 1), To = new(2026, 7, 1);
    private static JsonNode Truth => DemoGroundTruthTests.CheckedIn["kpis"]!;

    private static async Task<(IKpiService Kpis, LoadedDemo Demo)> ArrangeAsync()
    {
        var demo = await DemoPlantFixture.GetAsync();
        return (demo.Host.Services.GetRequiredService<IKpiService>(), demo);
    }

    private static async Task<Dictionary<KpiKind, KpiResult>> PlantAsync(GraceRule grace = GraceRule.None)
    {
        var (kpis, demo) = await ArrangeAsync();
        var report = (await kpis.ComputeAsync(demo.Tenant, new KpiRequest(Enum.GetValues<KpiKind>(), From, To, Grace: grace, AsOf: DemoPlant.ReferenceDate))).Value;
        return report.Results.ToDictionary(r => r.Kpi);
    }

    private static double D(JsonNode? node) => node!.GetValue<double>();

    private static void Exact(double expected, double actual, string what) => Assert.True(Math.Abs(expected - actual) < 1e-6, $"{what}: expected {expected}, got {actual}");

    [Fact]
    public async Task Reliability_figures_match_the_ground_truth_exactly()
    {
        var r = await PlantAsync();
        Assert.Equal(D(Truth["failures"]), r[KpiKind.Failures].Value);
        Exact(D(Truth["downtimeHours"]!["numerator"]) / 3600, r[KpiKind.DowntimeHours].Numerator, "downtime hours");
        Exact(D(Truth["availability"]!["numerator"]) / 3600, r[KpiKind.Availability].Numerator, "uptime hours");
        Exact(D(Truth["availability"]!["denominator"]) / 3600, r[KpiKind.Availability].Denominator, "operating hours");
        Assert.Equal(D(Truth["availability"]!["value"]), Math.Round(r[KpiKind.Availability].Value!.Value, 6));
        Assert.Equal(D(Truth["mtbfHours"]!["value"]), Math.Round(r[KpiKind.Mtbf].Value!.Value, 4));
        Exact(D(Truth["mttrHours"]!["numerator"]) / 3600, r[KpiKind.Mttr].Numerator, "repair hours");
        Exact(D(Truth["mttrHours"]!["denominator"]) / 3600, r[KpiKind.Mttr].Denominator, "repairs");
        Assert.Equal(D(Truth["mttrHours"]!["value"]), Math.Round(r[KpiKind.Mttr].Value!.Value, 4));
        Assert.Equal(D(Truth["inherentAvailability"]), Math.Round(r[KpiKind.InherentAvailability].Value!.Value, 6));
    }

    [Fact]
    public async Task A_lines_mtbf_comes_in_both_views_line_hours_per_stop_and_asset_hours_per_failure_as_the_ground_truth_says()
    {
        var (kpis, demo) = await ArrangeAsync();
        var line = Truth["lineMtbf"]!;
        var report = (await kpis.ComputeAsync(demo.Tenant, new KpiRequest([KpiKind.Mtbf], From, To, ScopeAssetId: line["scope"]!.GetValue<string>(),
            AsOf: DemoPlant.ReferenceDate))).Value;
        var r = report.Results.ToDictionary(x => x.Kpi);

        Assert.Equal([KpiKind.Mtbf, KpiKind.MtbfLine], report.Results.Select(x => x.Kpi));
        Assert.StartsWith("fleet view", r[KpiKind.Mtbf].Formula);
        Assert.StartsWith("line view", r[KpiKind.MtbfLine].Formula);
        foreach (var (kind, view) in new[] { (KpiKind.Mtbf, "fleet"), (KpiKind.MtbfLine, "line") })
        {
            Exact(D(line[view]!["numerator"]) / 3600, r[kind].Numerator, $"{view} uptime hours");
            Exact(D(line[view]!["denominator"]) / 3600, r[kind].Denominator, $"{view} failures");
            Assert.Equal(D(line[view]!["value"]), Math.Round(r[kind].Value!.Value, 4));
        }
        // The line stops far more often than any one of its machines fails: the 1,901 h against ~273 h.
        Assert.True(r[KpiKind.MtbfLine].Value < r[KpiKind.Mtbf].Value / 3, $"line {r[KpiKind.MtbfLine].Value} h vs fleet {r[KpiKind.Mtbf].Value} h");
    }

    [Theory]
    [InlineData(GraceRule.None, "none")]
    [InlineData(GraceRule.OneDay, "oneDay")]
    [InlineData(GraceRule.Percent20, "percent20")]
    public async Task Pm_compliance_matches_the_ground_truth_under_each_grace_rule(GraceRule grace, string key)
    {
        var pm = (await PlantAsync(grace))[KpiKind.PmCompliance];
        Assert.Equal(D(Truth["pmCompliance"]![key]!["numerator"]), pm.Numerator);
        Assert.Equal(D(Truth["pmCompliance"]![key]!["denominator"]), pm.Denominator);
    }

    [Fact]
    public async Task Work_management_figures_match_the_ground_truth_exactly()
    {
        var r = await PlantAsync();
        Exact(D(Truth["plannedMaintenancePercent"]!["numerator"]) / 60, r[KpiKind.PlannedMaintenancePercent].Numerator, "planned hours");
        Exact(D(Truth["plannedMaintenancePercent"]!["denominator"]) / 60, r[KpiKind.PlannedMaintenancePercent].Denominator, "all hours");
        Exact(D(Truth["backlogWeeks"]!["numerator"]) / 60, r[KpiKind.BacklogWeeks].Numerator, "backlog hours");
        Assert.Equal(D(Truth["backlogWeeks"]!["value"]), Math.Round(r[KpiKind.BacklogWeeks].Value!.Value, 4));
        Assert.Equal(D(Truth["overdue"]!["count"]), r[KpiKind.OverdueWorkOrders].Value);
        foreach (var (bucket, count) in Truth["overdue"]!["aging"]!.AsObject()) Assert.Equal(D(count), r[KpiKind.OverdueWorkOrders].Breakdown![bucket]);
        Assert.Equal(D(Truth["completionRate"]!["numerator"]), r[KpiKind.CompletionRate].Numerator);
        Assert.Equal(D(Truth["completionRate"]!["denominator"]), r[KpiKind.CompletionRate].Denominator);
        Assert.Equal(D(Truth["firstTimeFixRate"]!["numerator"]), r[KpiKind.FirstTimeFixRate].Numerator);
        Assert.Equal(D(Truth["firstTimeFixRate"]!["denominator"]), r[KpiKind.FirstTimeFixRate].Denominator);
        var cost = r[KpiKind.MaintenanceCost];
        Assert.Equal(D(Truth["cost"]!["total"]), cost.Value);
        foreach (var part in new[] { "parts", "labour", "services" }) Assert.Equal(D(Truth["cost"]![part]), cost.Breakdown![part]);
        Assert.Equal(D(Truth["cost"]!["orders"]), cost.Coverage.RecordsUsed);
    }

    [Theory]
    [InlineData(BadActorMeasure.Failures, "byFailures")]
    [InlineData(BadActorMeasure.DowntimeHours, "byDowntimeHours")]
    [InlineData(BadActorMeasure.Cost, "byCost")]
    public async Task The_bad_actor_rankings_match_the_ground_truth(BadActorMeasure by, string key)
    {
        var (kpis, demo) = await ArrangeAsync();
        var ranking = (await kpis.RankBadActorsAsync(demo.Tenant, new BadActorRequest(From, To, by, 5, AsOf: DemoPlant.ReferenceDate))).Value;
        var expected = Truth["badActors"]![key]!.AsArray().Select(a => (a!["assetId"]!.GetValue<string>(), D(a["value"]))).ToList();
        Assert.Equal(expected, ranking.Select(b => (b.AssetId, b.Value)).ToList());
    }

    [Fact]
    public async Task Monthly_figures_in_the_tenant_time_zone_match_the_ground_truth()
    {
        var (kpis, demo) = await ArrangeAsync();
        var report = (await kpis.ComputeAsync(demo.Tenant, new KpiRequest(
            [KpiKind.Failures, KpiKind.DowntimeHours, KpiKind.Availability, KpiKind.PmCompliance, KpiKind.MaintenanceCost], From, To,
            GroupBy: KpiGrouping.Month, AsOf: DemoPlant.ReferenceDate))).Value;
        var byMonth = Truth["byMonth"]!.AsObject();
        Assert.Equal(12, byMonth.Count);
        foreach (var (month, expected) in byMonth)
        {
            KpiResult R(KpiKind k) => report.Results.Single(r => r.Kpi == k && r.Group == month);
            Assert.Equal(D(expected!["failures"]), R(KpiKind.Failures).Value);
            Exact(D(expected["downtimeHours"]!["numerator"]) / 3600, R(KpiKind.DowntimeHours).Numerator, $"{month} downtime");
            Exact(D(expected["availability"]!["numerator"]) / 3600, R(KpiKind.Availability).Numerator, $"{month} uptime");
            Exact(D(expected["availability"]!["denominator"]) / 3600, R(KpiKind.Availability).Denominator, $"{month} operating");
            Assert.Equal(D(expected["pmComplianceNone"]!["numerator"]), R(KpiKind.PmCompliance).Numerator);
            Assert.Equal(D(expected["pmComplianceNone"]!["denominator"]), R(KpiKind.PmCompliance).Denominator);
            Assert.Equal(D(expected["costTotal"]), R(KpiKind.MaintenanceCost).Value);
        }
    }
}
