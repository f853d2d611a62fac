using System.Text.Json.Nodes;
using Fractal.Functions.Maintenance.Demo;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Maintenance.Demo;

/// <summary>
/// The ground truth is checked in (demo-plant-ground-truth.json) so a change to the generator shows up as a
/// diff. To regenerate it on purpose: <c>FRACTAL_WRITE_GROUND_TRUTH=1 dotnet test --filter DemoGroundTruthTests</c>.
/// </summary>
public sealed class DemoGroundTruthTests
{
    public static string FilePath => Path.Combine(RepoPaths.Root, "Fractal.Functions.Tests", "Maintenance", "Demo", "demo-plant-ground-truth.json");

    private static readonly Lazy<JsonObject> Truth = new(() => DemoGroundTruth.Compute(DemoGenerator.Generate()));

    public static JsonNode CheckedIn => JsonNode.Parse(File.ReadAllText(FilePath))!;

    [Fact]
    public void The_generator_is_deterministic() =>
        Assert.Equal(DemoGroundTruth.ToJson(Truth.Value), DemoGroundTruth.ToJson(DemoGroundTruth.Compute(DemoGenerator.Generate())));

    [Fact]
    public void The_checked_in_ground_truth_is_what_the_generator_plants()
    {
        var json = DemoGroundTruth.ToJson(Truth.Value);
        if (Environment.GetEnvironmentVariable("FRACTAL_WRITE_GROUND_TRUTH") == "1") File.WriteAllText(FilePath, json);
        Assert.Equal(File.ReadAllText(FilePath), json);
    }

    [Fact]
    public void The_ground_truth_falls_within_the_reference_ranges()
    {
        var kpis = CheckedIn["kpis"]!;
        double Value(string path) => path.Split('.').Aggregate(kpis, (node, key) => node[key]!).GetValue<double>();

        Assert.InRange(Value("pmCompliance.none.value"), 0.80, 0.88);
        Assert.InRange(Value("availability.value"), 0.96, 0.98);
        Assert.InRange(Value("mttrHours.value"), 2, 6);
        Assert.InRange(Value("firstTimeFixRate.value"), 0.80, 0.90);
        Assert.InRange(Value("backlogWeeks.value"), 3.0, 4.0);
        var filler = kpis["badActors"]!["byFailures"]![0]!;
        Assert.Equal("LLE-01", filler["assetId"]!.GetValue<string>());
        Assert.InRange(filler["value"]!.GetValue<double>(), 12, 16);
        var february = Value("byMonth.2026-02.pmComplianceNone.value");
        Assert.True(february < Value("pmCompliance.none.value") - 0.1, $"no PM dip in February ({february})");
        Assert.Equal(["CAL-01", "CHL-01", "CMP-02", "LLE-01", "PAL-01"],
            kpis["badActors"]!["byCost"]!.AsArray().Select(a => a!["assetId"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_demo_plant_has_the_size_the_reference_describes()
    {
        var counts = CheckedIn["counts"]!;
        int Count(string path) => path.Split('.').Aggregate(counts, (node, key) => node[key]!).GetValue<int>();

        Assert.InRange(Count("assets"), 45, 55);
        Assert.InRange(Count("workOrders"), 450, 550);
        Assert.InRange(Count("byType.preventive"), 300, 360);
        Assert.InRange(Count("byType.inspection"), 30, 50);
        Assert.InRange(Count("byType.corrective") + Count("byType.emergency"), 115, 145);
        Assert.InRange(Count("byStatus.completed"), 410, 470);
        Assert.InRange(Count("byStatus.cancelled"), 8, 22);
        Assert.InRange(Count("byStatus.in_process"), 20, 40);
        Assert.InRange(Count("byStatus.in_review"), 8, 22);
        Assert.InRange(Count("overdue"), 8, 16);
        Assert.InRange(Count("requests"), 160, 200);
        Assert.Equal(12, Count("meters"));
        Assert.InRange(Count("readings"), 3300, 3900);
        Assert.Equal(12, Count("plans"));
        Assert.InRange(Count("pendingTasks"), 55, 65);
        Assert.Equal(2, Count("warehouses"));
        Assert.InRange(Count("parts"), 75, 85);
        Assert.Equal(6, Count("belowMinimum"));
    }
}
