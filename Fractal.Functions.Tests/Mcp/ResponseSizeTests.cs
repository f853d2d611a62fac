using System.Text;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>
/// A list at its default page size stays under about 20 KB (what a model comfortably reads per call), and its
/// structured content carries only what the published output schema names.
/// </summary>
public sealed class ResponseSizeTests
{
    [Theory]
    [InlineData("list_work_orders")]
    [InlineData("list_assets")]
    [InlineData("list_requests")]
    [InlineData("list_meters")]
    [InlineData("list_pending_tasks")]
    [InlineData("check_stock")]
    [InlineData("get_location_tree")]
    [InlineData("get_asset_downtime", "asset_id", "LLE-01")]
    [InlineData("get_asset", "id", "LLE-01")]
    [InlineData("search", "query", "compresor falla")]
    public async Task A_default_page_stays_under_20_KB_and_carries_only_what_its_output_schema_names(string tool, string? argument = null, string? value = null)
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var result = argument is null ? await client.CallAsync(tool) : await client.CallAsync(tool, (argument, value));
        var structured = result.Ok();
        var schema = (await client.ListToolsAsync()).Single(t => t.Name == tool).ProtocolTool.OutputSchema!.Value;
        var published = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Empty(structured.EnumerateObject().Select(p => p.Name).Except(published));
        var bytes = Encoding.UTF8.GetByteCount(result.Everything());
        Assert.True(bytes < 20 * 1024, $"{tool}: {bytes} bytes");
    }
}
