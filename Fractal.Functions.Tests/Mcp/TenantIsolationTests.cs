using Fractal.Functions.Maintenance.Demo;
using Fractal.Functions.Tests.Infrastructure;
using ModelContextProtocol;
using Xunit.Abstractions;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>
/// Tenant A never receives a record of tenant B, although both hold the same demo plant (every guessable
/// folio and code exists in both): B alone has the <see cref="TenantBMarker"/> records, and nothing A gets
/// from any tool may carry them.
/// </summary>
public sealed class TenantIsolationTests(ITestOutputHelper output)
{
    private const int Calls = 200;

    [Fact]
    public async Task The_marker_records_of_tenant_B_are_visible_to_tenant_B()
    {
        var plant = await McpPlant.GetAsync();
        var marker = await TenantBMarker.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.B, plant.B.Viewer));
        Assert.True(TenantBMarker.IsIn((await client.CallAsync("get_asset", ("id", marker.AssetId))).Everything()));
        Assert.True(TenantBMarker.IsIn((await client.CallAsync("fetch", ("id", $"request:{marker.RequestId}"))).Everything()));
        Assert.True(TenantBMarker.IsIn((await client.CallAsync("search", ("query", TenantBMarker.Text))).Everything()));
    }

    [Fact]
    public async Task Random_tool_calls_of_a_tenant_A_user_never_return_a_record_of_tenant_B()
    {
        var plant = await McpPlant.GetAsync();
        var marker = await TenantBMarker.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Admin));
        var random = new Random(20261127);
        string[] assets = [.. DemoCatalog.Locations.Select(l => l.Id), .. DemoCatalog.Equipment.Select(e => e.Id), marker.AssetId];
        string[] parts = [.. DemoInventory.Parts.Select(p => p.Code), "ZZ-MARCA"];
        string[] plans = [.. DemoCatalog.Plans.Select(p => p.Id)];
        var requestNumber = int.Parse(marker.RequestId["SR-".Length..]);
        string[] words = ["compresor", "zeta", "exclusivo", "marcador", "fuga", "aire", "llenadora", "rodamiento", "ZZ-MARCA", TenantBMarker.Text];
        string Pick(string[] values) => values[random.Next(values.Length)];
        string Folio() => $"OT-{random.Next(1, 600)}";
        string Request() => $"SR-{random.Next(Math.Max(1, requestNumber - 20), requestNumber + 2)}";

        var calls = new Func<(string, Dictionary<string, object?>)>[]
        {
            () => ("search", new() { ["query"] = Pick(words) }),
            () => ("fetch", new() { ["id"] = random.Next(5) switch { 0 => "wo:" + Folio(), 1 => "asset:" + Pick(assets), 2 => "request:" + Request(), 3 => "part:" + Pick(parts), _ => "plan:" + Pick(plans) } }),
            () => ("list_assets", new() { ["text"] = random.Next(2) == 0 ? Pick(words) : null, ["subtree_of"] = random.Next(2) == 0 ? Pick(assets) : null, ["page_size"] = random.Next(1, 101) }),
            () => ("get_asset", new() { ["id"] = Pick(assets) }),
            () => ("get_location_tree", new() { ["root_id"] = random.Next(3) == 0 ? null : Pick(assets), ["depth"] = random.Next(1, 5) }),
            () => ("get_asset_downtime", new() { ["asset_id"] = Pick(assets) }),
            () => ("list_requests", new() { ["urgent"] = random.Next(2) == 0, ["page_size"] = 100 }),
            () => ("list_meters", new() { ["asset_id"] = random.Next(2) == 0 ? null : Pick(assets), ["page_size"] = 100 }),
            () => ("list_pending_tasks", new() { ["asset_id"] = random.Next(2) == 0 ? null : Pick(assets), ["page_size"] = 100 }),
            () => ("check_stock", new() { ["part_code"] = random.Next(2) == 0 ? null : Pick(parts), ["page_size"] = 100 }),
            () => ("list_work_orders", new() { ["asset_id"] = Pick(assets), ["page_size"] = 100 }),
            () => ("get_work_order", new() { ["folio"] = Folio() }),
        };

        var (answered, errors, invalid) = (0, 0, 0);
        for (var i = 0; i < Calls; i++)
        {
            var (tool, arguments) = calls[random.Next(calls.Length)]();
            try
            {
                var result = await client.CallToolAsync(tool, arguments);
                Assert.False(TenantBMarker.IsIn(result.Everything()), $"{tool}({string.Join(", ", arguments.Select(a => $"{a.Key}={a.Value}"))}) returned tenant B's marker");
                if (result.IsError == true) errors++; else answered++;
            }
            catch (McpProtocolException)
            {
                invalid++;
            }
        }
        output.WriteLine($"{Calls} calls: {answered} answered, {errors} tool errors, {invalid} invalid params.");
        Assert.True(answered > Calls / 2, $"only {answered} calls answered");
    }
}
