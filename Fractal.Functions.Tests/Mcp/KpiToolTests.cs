using Fractal.Functions.Tests.Infrastructure;
using Fractal.Functions.Tests.Maintenance.Demo;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>get_kpis and rank_bad_actors over MCP, against the demo plant's independent ground truth.</summary>
public sealed class KpiToolTests
{
    [Fact]
    public async Task Get_kpis_over_mcp_equals_the_demo_plants_ground_truth()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var result = await client.CallToolAsync("get_kpis", new Dictionary<string, object?>
        {
            ["from"] = "2025-07-01", ["to"] = "2026-07-01", ["kpi"] = new[] { "failures", "availability", "mttr" },
        });
        Assert.NotEqual(true, result.IsError);
        var truth = DemoGroundTruthTests.CheckedIn["kpis"]!;
        var results = result.StructuredContent!.Value.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("kpi").GetString()!);
        Assert.Equal(truth["failures"]!.GetValue<double>(), results["failures"].GetProperty("value").GetDouble());
        Assert.Equal(truth["availability"]!["value"]!.GetValue<double>(), Math.Round(results["availability"].GetProperty("value").GetDouble(), 6));
        Assert.Equal(truth["mttrHours"]!["value"]!.GetValue<double>(), Math.Round(results["mttr"].GetProperty("value").GetDouble(), 4));
        Assert.False(string.IsNullOrEmpty(results["mttr"].GetProperty("formula").GetString()));
        Assert.True(results["mttr"].TryGetProperty("coverage", out _));
    }

    [Fact]
    public async Task The_text_of_a_grouped_line_report_stands_alone_with_schema_codes_percentages_and_both_mtbf_views()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var result = await client.CallToolAsync("get_kpis", new Dictionary<string, object?>
        {
            ["from"] = "2026-01-01", ["to"] = "2026-07-01", ["kpi"] = new[] { "mtbf", "pm_compliance" }, ["scope_asset_id"] = "L1", ["group_by"] = "month",
        });
        Assert.NotEqual(true, result.IsError);
        var text = ((ModelContextProtocol.Protocol.TextContentBlock)result.Content[0]).Text;
        Assert.Contains("pm_compliance by group: 2026-01 ", text);
        Assert.Contains("mtbf (fleet view: asset-hours ÷ failures) by group: 2026-01 ", text);
        Assert.Contains("mtbf_line (line view: line hours ÷ line-stopping failures) by group: 2026-01 ", text);
        Assert.Matches(@"2026-06 \d+(\.\d)? %", text);
        Assert.DoesNotContain("PmCompliance", text);
        Assert.DoesNotContain("ratio", text);
    }

    [Fact]
    public async Task Rank_bad_actors_puts_the_filler_first_by_failures()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var result = await client.CallToolAsync("rank_bad_actors", new Dictionary<string, object?> { ["from"] = "2025-07-01", ["to"] = "2026-07-01", ["by"] = "failures", ["top"] = 3 });
        Assert.NotEqual(true, result.IsError);
        var assets = result.StructuredContent!.Value.GetProperty("assets");
        Assert.Equal(3, assets.GetArrayLength());
        Assert.Equal("LLE-01", assets[0].GetProperty("assetId").GetString());
    }

    [Theory]
    [InlineData("from", "last year")]
    [InlineData("kpi", "happiness")]
    [InlineData("group_by", "weekday")]
    public async Task A_malformed_kpi_argument_is_invalid_params(string name, string value)
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var args = new Dictionary<string, object?> { ["from"] = "2025-07-01", ["to"] = "2026-07-01" };
        args[name] = name == "kpi" ? new[] { value } : value;
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("get_kpis", args).AsTask());
        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
    }

    [Theory]
    [InlineData("from")]
    [InlineData("to")]
    public async Task A_missing_required_kpi_argument_is_invalid_params_naming_it(string left)
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var args = new Dictionary<string, object?> { ["from"] = "2025-07-01", ["to"] = "2026-07-01" };
        args.Remove(left);
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("get_kpis", args).AsTask());
        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
        Assert.Contains($"'{left}' is required", error.Message);
    }
}
