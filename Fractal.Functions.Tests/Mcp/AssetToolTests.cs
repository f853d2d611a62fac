using Fractal.Functions.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace Fractal.Functions.Tests.Mcp;

public sealed class AssetToolTests
{
    private static async Task<McpClient> ViewerAsync()
    {
        var plant = await McpPlant.GetAsync();
        return await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
    }

    [Fact]
    public async Task List_assets_pages_a_subtree_in_hierarchy_order_and_filters_by_level()
    {
        await using var client = await ViewerAsync();
        var first = (await client.CallAsync("list_assets", ("subtree_of", "SRV"), ("page_size", 4))).Ok();
        var ids = first.GetProperty("items").Strings("id").ToList();
        Assert.Equal(4, ids.Count);
        Assert.Equal("SRV", ids[0]);
        var second = (await client.CallAsync("list_assets", ("subtree_of", "SRV"), ("page_size", 4), ("cursor", first.GetProperty("nextCursor").GetString()))).Ok();
        Assert.Empty(second.GetProperty("items").Strings("id").Intersect(ids));

        var equipment = (await client.CallAsync("list_assets", ("subtree_of", "SRV-AIRE"), ("level", "equipment"))).Ok();
        Assert.Equal(["CMP-01", "CMP-02", "CMP-03", "EST-01", "SEC-01"], equipment.GetProperty("items").Strings("id").Order());
    }

    [Fact]
    public async Task List_assets_finds_assets_by_name_text_without_accents()
    {
        await using var client = await ViewerAsync();
        var found = (await client.CallAsync("list_assets", ("text", "grua horquilla"))).Ok();
        Assert.Contains("GRH-01", found.GetProperty("items").Strings("id"));
    }

    [Fact]
    public async Task Get_asset_returns_the_asset_with_its_meters_and_latest_work_orders()
    {
        await using var client = await ViewerAsync();
        var details = (await client.CallAsync("get_asset", ("id", "CMP-02"))).Ok();
        Assert.Equal("Compresor N°2", details.GetProperty("asset").GetProperty("name").GetString());
        Assert.Equal("PEA.SRV.SRV-AIRE.CMP-02.", details.GetProperty("asset").GetProperty("path").GetString());
        Assert.Equal(["H-CMP-02", "T-CMP-02"], details.GetProperty("meters").Strings("id").Order());
        var orders = details.GetProperty("recentWorkOrders");
        Assert.InRange(orders.GetArrayLength(), 1, 5);
        Assert.All(orders.Strings("assetId"), a => Assert.Equal("CMP-02", a));
    }

    [Fact]
    public async Task Get_location_tree_returns_the_hierarchy_to_the_asked_depth()
    {
        await using var client = await ViewerAsync();
        var whole = (await client.CallAsync("get_location_tree", ("depth", 4))).Ok();
        var site = Assert.Single(whole.GetProperty("roots").EnumerateArray());
        Assert.Equal("PEA", site.GetProperty("id").GetString());
        Assert.Equal(5, site.GetProperty("children").GetArrayLength());
        Assert.True(whole.GetRawText().Length < 20_000, $"{whole.GetRawText().Length} bytes");

        var air = (await client.CallAsync("get_location_tree", ("root_id", "SRV"), ("depth", 1))).Ok();
        var services = Assert.Single(air.GetProperty("roots").EnumerateArray());
        Assert.Equal(["SRV-AIRE", "SRV-FRIO", "SRV-VAPOR"], services.GetProperty("children").Strings("id").Order());
        Assert.All(services.GetProperty("children").EnumerateArray(), c => Assert.False(c.TryGetProperty("children", out _)));
    }

    [Fact]
    public async Task Get_asset_downtime_lists_intervals_with_seconds_and_pages_them()
    {
        await using var client = await ViewerAsync();
        var all = (await client.CallAsync("get_asset_downtime", ("asset_id", "LLE-01"))).Ok();
        var count = all.GetProperty("intervalCount").GetInt32();
        Assert.True(count >= 2, $"{count} intervals");
        Assert.True(all.GetProperty("totalSeconds").GetInt64() > 0);

        var first = (await client.CallAsync("get_asset_downtime", ("asset_id", "LLE-01"), ("page_size", 1))).Ok();
        Assert.Equal(1, first.GetProperty("items").GetArrayLength());
        var second = (await client.CallAsync("get_asset_downtime", ("asset_id", "LLE-01"), ("page_size", 1), ("cursor", first.GetProperty("nextCursor").GetString()))).Ok();
        Assert.NotEqual(first.GetProperty("items")[0].GetProperty("start").GetString(), second.GetProperty("items")[0].GetProperty("start").GetString());

        var foreignCursor = await client.CallAsync("get_asset_downtime", ("asset_id", "CMP-02"), ("cursor", first.GetProperty("nextCursor").GetString()));
        Assert.True(foreignCursor.IsError);
    }

    [Theory]
    [InlineData("get_asset", "id", "NO-SUCH")]
    [InlineData("get_asset_downtime", "asset_id", "NO-SUCH")]
    [InlineData("get_location_tree", "root_id", "NO-SUCH")]
    [InlineData("list_assets", "subtree_of", "NO-SUCH")]
    [InlineData("get_asset", "id", "../../etc")]
    public async Task An_unknown_asset_is_a_tool_error_naming_it(string tool, string argument, string id)
    {
        await using var client = await ViewerAsync();
        var result = await client.CallAsync(tool, (argument, id));
        Assert.True(result.IsError);
        Assert.Contains(id, result.Text());
    }

    [Theory]
    [InlineData("list_assets", "level", "planet")]
    [InlineData("list_assets", "kind", "vehicle")]
    [InlineData("list_assets", "page_size", 0)]
    [InlineData("list_assets", "page_size", 101)]
    [InlineData("get_location_tree", "depth", 0)]
    [InlineData("get_location_tree", "depth", 5)]
    [InlineData("get_asset_downtime", "from", "yesterday")]
    [InlineData("get_asset", "id", "")]
    public async Task A_bad_enum_range_or_date_is_invalid_params(string tool, string argument, object value)
    {
        await using var client = await ViewerAsync();
        var arguments = new Dictionary<string, object?> { [argument] = value };
        if (tool == "get_asset_downtime") arguments["asset_id"] = "CMP-02";
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync(tool, arguments).AsTask());
        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
    }
}
