using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Demo;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Maintenance.Demo;

public sealed class DemoPlantLoaderTests
{
    private static async Task<Dictionary<string, int>> CountRowsAsync(IServiceProvider services, TenantId tenant)
    {
        var tables = services.GetRequiredService<TableStore>();
        var counts = new Dictionary<string, int>();
        foreach (var table in TableNames.All.Where(t => t.StartsWith("Mnt", StringComparison.Ordinal)))
        {
            var client = await tables.GetTableAsync(table);
            var n = 0;
            await foreach (var _ in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant.Value}"), select: ["RowKey"])) n++;
            counts[table] = n;
        }
        return counts;
    }

    /// <summary>
    /// How long the load takes is measured by <c>./bench.sh startup</c> (its own Azurite, nothing else running), not
    /// here: in the suite the load shares the emulator with every other test, so a time limit would test the suite's
    /// contention and fail at random (it did: 36 s on a busy run that the benchmark measures at ~8 s).
    /// </summary>
    [Fact]
    public async Task A_first_load_writes_the_whole_plant()
    {
        var demo = await DemoPlantFixture.GetAsync();
        Assert.False(demo.FirstLoad.AlreadyLoaded);
        Assert.True(demo.FirstLoad.Rows > 10_000, $"{demo.FirstLoad.Rows} rows");
    }

    [Fact]
    public async Task Loading_the_demo_plant_again_changes_nothing()
    {
        var demo = await DemoPlantFixture.GetAsync();
        var before = await CountRowsAsync(demo.Host.Services, demo.Tenant);

        var again = await demo.Host.Services.GetRequiredService<DemoPlantLoader>().LoadAsync(demo.Tenant, CancellationToken.None);

        Assert.True(again.AlreadyLoaded);
        Assert.Equal(before, await CountRowsAsync(demo.Host.Services, demo.Tenant));
        Assert.Equal(demo.FirstLoad.Rows + 1, before.Values.Sum()); // + the loader's marker row
    }

    [Fact]
    public async Task The_loader_refuses_a_tenant_holding_other_maintenance_data()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        await host.WorkOrders.CreateAsync(host.Tenant, new NewWorkOrder("Real", WorkOrderType.Corrective, 3, "EQ1", [new NewTask("x", 10)]), "sup");

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            host.Services.GetRequiredService<DemoPlantLoader>().LoadAsync(host.Tenant, CancellationToken.None));
        Assert.Equal("OT-1", Assert.Single((await host.WorkOrders.ListAsync(host.Tenant, new WorkOrderQuery(), Fractal.Functions.Maintenance.Domain.PageRequest.First())).Value.Items).Folio);
    }

    [Fact]
    public async Task The_loaded_records_read_back_through_the_services_as_generated()
    {
        var demo = await DemoPlantFixture.GetAsync();
        var services = demo.Host.Services;
        foreach (var expected in demo.Data.WorkOrders.Where((_, i) => i % 25 == 0))
        {
            var actual = (await demo.Host.WorkOrders.GetAsync(demo.Tenant, expected.Order.Folio)).Value;
            Assert.Equal(expected.Order with { Tasks = [], Resources = [] }, actual.Order with { Tasks = [], Resources = [] });
            Assert.Equal(expected.Order.Tasks, actual.Order.Tasks);
            Assert.Equal(expected.Order.Resources, actual.Order.Resources);
            Assert.Equal(expected.History, actual.History);
            Assert.Equal(expected.Notes, actual.Notes);
        }
        var request = demo.Data.Requests[7];
        var stored = (await demo.Host.Requests.GetAsync(demo.Tenant, request.Id)).Value;
        Assert.Equal(request.History, stored.History);
        Assert.Equal("America/Santiago", (await services.GetRequiredService<ITenantSettingsService>().GetAsync(demo.Tenant)).TimeZoneId);
    }
}
