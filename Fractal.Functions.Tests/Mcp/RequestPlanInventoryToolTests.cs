using Fractal.Functions.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace Fractal.Functions.Tests.Mcp;

public sealed class RequestPlanInventoryToolTests
{
    private static async Task<McpClient> ViewerAsync()
    {
        var plant = await McpPlant.GetAsync();
        return await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
    }

    [Fact]
    public async Task List_requests_filters_by_status_and_urgency_and_pages_with_a_cursor()
    {
        await using var client = await ViewerAsync();
        var first = (await client.CallAsync("list_requests", ("status", "resolved_with_work_order"), ("page_size", 5))).Ok();
        var items = first.GetProperty("items");
        Assert.Equal(5, items.GetArrayLength());
        Assert.All(items.Strings("status"), s => Assert.Equal("resolved_with_work_order", s));
        var second = (await client.CallAsync("list_requests", ("status", "resolved_with_work_order"), ("page_size", 5), ("cursor", first.GetProperty("nextCursor").GetString()))).Ok();
        Assert.Empty(second.GetProperty("items").Strings("id").Intersect(items.Strings("id")));

        var urgent = (await client.CallAsync("list_requests", ("urgent", true))).Ok();
        Assert.All(urgent.GetProperty("items").EnumerateArray(), r => Assert.True(r.GetProperty("urgent").GetBoolean()));
    }

    [Fact]
    public async Task List_meters_shows_the_last_reading_and_monthly_average()
    {
        await using var client = await ViewerAsync();
        var all = (await client.CallAsync("list_meters", ("page_size", 100))).Ok();
        Assert.Equal(12, all.GetProperty("items").GetArrayLength());
        var cmp = (await client.CallAsync("list_meters", ("asset_id", "CMP-02"))).Ok().GetProperty("items");
        Assert.Equal(["H-CMP-02", "T-CMP-02"], cmp.Strings("id").Order());
        var hours = cmp.EnumerateArray().Single(m => m.GetProperty("id").GetString() == "H-CMP-02");
        Assert.True(hours.GetProperty("lastValue").GetDouble() > 0);
        Assert.InRange(hours.GetProperty("monthlyAverage").GetDouble(), 21 * 30.4375 * 0.8, 21 * 30.4375 * 1.2);
    }

    [Fact]
    public async Task List_pending_tasks_gives_the_forecast_oldest_first_and_the_overdue_ones()
    {
        await using var client = await ViewerAsync();
        var forecast = (await client.CallAsync("list_pending_tasks", ("due_from", "2026-07-01"), ("due_to", "2026-08-01"))).Ok().GetProperty("items");
        Assert.True(forecast.GetArrayLength() > 0);
        var due = forecast.Strings("calculatedDueAt").Select(DateTimeOffset.Parse).ToList();
        Assert.Equal(due.Order(), due);

        var overdue = (await client.CallAsync("list_pending_tasks", ("overdue_only", true), ("page_size", 100))).Ok().GetProperty("items");
        Assert.All(overdue.EnumerateArray(), t => Assert.True(t.GetProperty("overdue").GetBoolean()));

        var oneAsset = (await client.CallAsync("list_pending_tasks", ("asset_id", "CMP-02"), ("page_size", 100))).Ok().GetProperty("items");
        Assert.All(oneAsset.Strings("assetId"), a => Assert.Equal("CMP-02", a));
    }

    [Fact]
    public async Task Check_stock_shows_a_part_per_warehouse_and_the_parts_below_minimum()
    {
        await using var client = await ViewerAsync();
        var part = (await client.CallAsync("check_stock", ("part_code", "ROD-02"))).Ok().GetProperty("items");
        Assert.Contains("BOD-CEN", part.Strings("warehouseId"));
        Assert.All(part.Strings("partCode"), p => Assert.Equal("ROD-02", p));

        var below = (await client.CallAsync("check_stock", ("below_minimum_only", true))).Ok().GetProperty("items");
        Assert.Equal(["CON-02", "FIL-AIR-01", "KIT-SEL-01", "ROD-02", "SEN-IND-01", "VAL-SOL-01"], below.Strings("partCode").Order(StringComparer.Ordinal));
        Assert.All(below.EnumerateArray(), s => Assert.True(s.GetProperty("belowMinimum").GetBoolean()));

        var crib = (await client.CallAsync("check_stock", ("warehouse_id", "PANOL"))).Ok().GetProperty("items");
        Assert.All(crib.Strings("warehouseId"), w => Assert.Equal("PANOL", w));
    }

    [Theory]
    [InlineData("list_meters", "asset_id", "NO-SUCH")]
    [InlineData("list_pending_tasks", "asset_id", "NO-SUCH")]
    [InlineData("check_stock", "part_code", "NO-SUCH")]
    [InlineData("check_stock", "part_code", "a/b#c")]
    [InlineData("check_stock", "warehouse_id", "NO-SUCH")]
    [InlineData("list_requests", "cursor", "not-a-cursor")]
    public async Task An_unknown_id_or_foreign_cursor_is_a_tool_error(string tool, string argument, string value)
    {
        await using var client = await ViewerAsync();
        var result = await client.CallAsync(tool, (argument, value));
        Assert.True(result.IsError, result.Text());
    }

    [Theory]
    [InlineData("list_requests", "status", "closed")]
    [InlineData("list_requests", "page_size", 500)]
    [InlineData("list_meters", "page_size", -1)]
    [InlineData("list_pending_tasks", "due_from", "soon")]
    [InlineData("check_stock", "page_size", 0)]
    public async Task A_bad_enum_range_or_date_is_invalid_params(string tool, string argument, object value)
    {
        await using var client = await ViewerAsync();
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallAsync(tool, (argument, value)).AsTask());
        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
    }

    [Fact]
    public async Task A_range_that_ends_before_it_starts_is_invalid_params()
    {
        await using var client = await ViewerAsync();
        var error = await Assert.ThrowsAsync<McpProtocolException>(() =>
            client.CallAsync("list_pending_tasks", ("due_from", "2026-08-01"), ("due_to", "2026-07-01")).AsTask());
        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
    }
}
