using System.Text.Json;
using Fractal.Functions.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Fractal.Functions.Tests.Mcp;

public sealed class WorkOrderToolTests
{
    [Fact]
    public async Task List_work_orders_pages_with_a_cursor_and_filters_by_status()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var first = await client.CallToolAsync("list_work_orders", new Dictionary<string, object?> { ["status"] = "in_review", ["page_size"] = 5 });
        Assert.NotEqual(true, first.IsError);
        var structured = first.StructuredContent!.Value;
        var items = structured.GetProperty("items");
        Assert.Equal(5, items.GetArrayLength());
        Assert.All(items.EnumerateArray(), i => Assert.Equal("in_review", i.GetProperty("status").GetString()));
        var cursor = structured.GetProperty("nextCursor").GetString();
        var second = await client.CallToolAsync("list_work_orders", new Dictionary<string, object?> { ["status"] = "in_review", ["page_size"] = 5, ["cursor"] = cursor });
        var secondFolios = second.StructuredContent!.Value.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("folio").GetString()).ToList();
        Assert.Empty(secondFolios.Intersect(items.EnumerateArray().Select(i => i.GetProperty("folio").GetString())));
    }

    [Fact]
    public async Task Get_work_order_returns_the_order_and_an_unknown_folio_is_a_tool_error()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var ok = await client.CallToolAsync("get_work_order", new Dictionary<string, object?> { ["folio"] = "OT-1" });
        Assert.NotEqual(true, ok.IsError);
        Assert.Equal("OT-1", ok.StructuredContent!.Value.GetProperty("order").GetProperty("folio").GetString());

        var missing = await client.CallToolAsync("get_work_order", new Dictionary<string, object?> { ["folio"] = "OT-999999" });
        Assert.True(missing.IsError);
    }

    [Fact]
    public async Task A_malformed_argument_is_a_json_rpc_invalid_params_error()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var error = await Assert.ThrowsAsync<McpProtocolException>(() =>
            client.CallToolAsync("list_work_orders", new Dictionary<string, object?> { ["status"] = "sleeping" }).AsTask());
        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
    }
}
