using System.Text.Json;
using Azure.Data.Tables;
using Fractal.Functions.Hosting.Manage;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Maintenance.Stores.WorkOrders;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Maintenance.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Maintenance.Stores;

/// <summary>
/// get_asset's one read of the asset's order range (open downtime first, projection 2) answers what the order list and
/// the open-downtime index answer, and a tenant whose orders predate that projection keeps working until
/// <c>manage upgrade-work-orders</c> brings it there.
/// </summary>
public sealed class AssetActivityTests
{
    private const int Recent = 5;

    /// <summary>What get_asset showed before the open downtime joined the asset's range: the list by asset and the x|do| index.</summary>
    private static async Task<string> ExpectedAsync(MaintenanceTestHost host, Asset asset)
    {
        var list = await host.WorkOrders.ListAsync(host.Tenant, new WorkOrderQuery { AssetId = asset.Id }, new PageRequest(Recent));
        Assert.True(list.IsSuccess, list.ToString());
        return Json(new AssetActivity(await host.Assets.GetOpenDowntimeAsync(host.Tenant, asset.Id), list.Value.Items));
    }

    private static string Json(AssetActivity activity) => JsonSerializer.Serialize(activity);

    private static async Task<string> ActivityAsync(MaintenanceTestHost host, string assetId) => Json(await ReadAsync(host, assetId));

    private static async Task<AssetActivity> ReadAsync(MaintenanceTestHost host, string assetId) =>
        await host.WorkOrders.GetAssetActivityAsync(host.Tenant, (await host.Assets.GetAsync(host.Tenant, assetId)).Value, Recent);

    private static bool AreCurrent(MaintenanceTestHost host) =>
        host.Services.GetRequiredService<WorkOrderProjections>().AreCurrentAsync(host.Tenant, default).GetAwaiter().GetResult();

    [Fact]
    public async Task For_every_demo_asset_the_one_range_read_equals_the_order_list_and_the_open_downtime_index()
    {
        var demo = await DemoPlantFixture.GetAsync();
        Assert.True(AreCurrent(demo.Host)); // the demo loader marks its orders current: this is the one-range read
        foreach (var asset in demo.Data.Assets)
            Assert.Equal(await ExpectedAsync(demo.Host, asset), await ActivityAsync(demo.Host, asset.Id));
        Assert.Equal("TAP-01", Assert.Single((await ReadAsync(demo.Host, "TAP-01")).OpenDowntime).AssetId); // the demo's open downtime, seen
        Assert.Empty((await ReadAsync(demo.Host, "L1-LLEN")).OpenDowntime); // a descendant's is not the asset's
    }

    [Fact]
    public async Task A_location_lists_its_whole_subtree_newest_first_and_get_asset_shows_its_newest_orders()
    {
        var demo = await DemoPlantFixture.GetAsync();
        foreach (var location in new[] { "PEA", "L1", "L1-LLEN", "SRV-AIRE" })
        {
            var path = demo.Data.Assets.Single(a => a.Id == location).Path;
            var expected = demo.Data.WorkOrders.Select(w => w.Order).Where(o => o.AssetPath.StartsWith(path, StringComparison.Ordinal))
                .OrderByDescending(o => o.Number).Select(o => o.Folio).ToList();
            var listed = await AccessPathTests.ReadAllAsync(p => demo.Host.WorkOrders.ListAsync(demo.Tenant, new WorkOrderQuery { AssetId = location }, p));
            Assert.Equal(expected, listed.Select(o => o.Folio).ToList());
            Assert.Equal(expected.Take(Recent), (await ReadAsync(demo.Host, location)).RecentWorkOrders.Select(o => o.Folio));
        }
    }

    [Fact]
    public async Task A_tenants_first_work_order_marks_every_order_current_in_its_own_transaction()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        Assert.False(AreCurrent(host));
        await host.WorkOrders.CreateAsync(host.Tenant, new NewWorkOrder("Falla compresor", WorkOrderType.Corrective, 1, "EQ1", [new NewTask("Reparar", 120)]), "sup");
        var marker = await host.Services.GetRequiredService<TableStore>().FindAsync<CounterRow>(TableNames.WorkOrders, host.Tenant.Value, WorkOrderRows.ProjectionMarkerKey);
        Assert.Equal(WorkOrderRows.ProjectionVersion, marker?.Value);
        Assert.True(AreCurrent(await MaintenanceTestHost.CreateAsync(tenant: host.Tenant))); // a fresh instance reads the marker
    }

    [Fact]
    public async Task Orders_stored_before_projection_two_change_without_error_and_the_upgrade_verb_brings_the_rest()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var t = host.Clock.GetUtcNow();
        var folios = new List<string>();
        foreach (var (asset, down) in new[] { ("EQ1", true), ("EQ1", true), ("EQ2", true), ("EQ2", false) })
        {
            var created = await host.WorkOrders.CreateAsync(host.Tenant, new NewWorkOrder($"Falla {asset}", WorkOrderType.Corrective, 1, asset,
                [new NewTask("Reparar", 120, OutOfServiceStart: down ? t.AddHours(-3) : null)]), "sup");
            folios.Add(created.Value.Folio);
        }
        await StoreAsPreviousVersionAsync(host);

        // A fresh instance (no cached marker) on the older rows: get_asset reads the order list and x|do| instead.
        var before = await MaintenanceTestHost.CreateAsync(host.Clock.GetUtcNow(), host.Tenant);
        Assert.False(AreCurrent(before));
        foreach (var asset in new[] { "EQ1", "EQ2", "SY1" })
            Assert.Equal(await ExpectedAsync(before, (await before.Assets.GetAsync(before.Tenant, asset)).Value), await ActivityAsync(before, asset));
        Assert.Equal(2, (await ReadAsync(before, "EQ1")).OpenDowntime.Count);

        // A change to an older order diffs against the rows it has (no delete of a row it never had, which would fail
        // the whole transaction) and adds the rows it lacked; closing an older order's downtime works the same way.
        Assert.True((await before.WorkOrders.AddNoteAsync(before.Tenant, new(folios[0], "tec"), "Revisado")).IsSuccess);
        Assert.True((await before.WorkOrders.CancelAsync(before.Tenant, new(folios[2], "sup"), "Duplicada")).IsSuccess);
        Assert.Equal(2, (await ProjectionsOfAsync(host)).Count(p => p.Value == WorkOrderRows.ProjectionVersion));

        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await ManageCommand.RunVerbAsync(host.Services, "upgrade-work-orders", ManageOptions.Parse(["--tenant", host.Tenant.Value]), new StringReader(""), output, errors);
        Assert.True(code == 0, errors.ToString());
        Assert.Contains($"Tenant {host.Tenant.Value}: 2 work orders rewritten", output.ToString());

        Assert.All(await ProjectionsOfAsync(host), p => Assert.Equal(WorkOrderRows.ProjectionVersion, p.Value));
        await AssertDerivedRowsAreTheCurrentProjectionAsync(host);
        var after = await MaintenanceTestHost.CreateAsync(host.Clock.GetUtcNow(), host.Tenant);
        Assert.True(AreCurrent(after));
        foreach (var asset in new[] { "EQ1", "EQ2", "SY1", "S1" })
            Assert.Equal(await ExpectedAsync(after, (await after.Assets.GetAsync(after.Tenant, asset)).Value), await ActivityAsync(after, asset));
        Assert.Equal(2, (await ReadAsync(after, "EQ1")).OpenDowntime.Count);
        Assert.Empty((await ReadAsync(after, "EQ2")).OpenDowntime); // its one open interval closed with the cancellation

        // Run again: nothing left to rewrite.
        output = new StringWriter();
        Assert.Equal(0, await ManageCommand.RunVerbAsync(host.Services, "upgrade-work-orders", ManageOptions.Parse(["--tenant", host.Tenant.Value]), new StringReader(""), output, errors));
        Assert.Contains("0 work orders rewritten", output.ToString());
    }

    /// <summary>What the previous version stored: order rows without a projection column, no subtree index (x|au|), no marker.</summary>
    private static async Task StoreAsPreviousVersionAsync(MaintenanceTestHost host)
    {
        var tables = host.Services.GetRequiredService<TableStore>();
        var pk = host.Tenant.Value;
        foreach (var row in await tables.ReadPrefixAsync<TableEntity>(TableNames.WorkOrders, pk, WorkOrderRows.BySubtree, 1000, default))
            Assert.True((await tables.TryDeleteAsync(TableNames.WorkOrders, pk, row.RowKey, Azure.ETag.All)).Succeeded);
        foreach (var row in await tables.ReadPrefixAsync<TableEntity>(TableNames.WorkOrders, pk, WorkOrderRows.HeaderPrefix, 1000, default))
        {
            Assert.True(row.Remove(WorkOrderRows.ProjectionColumn));
            Assert.True((await tables.TryReplaceAsync(TableNames.WorkOrders, row, row.ETag)).Succeeded);
        }
        Assert.True((await tables.TryDeleteAsync(TableNames.WorkOrders, pk, WorkOrderRows.ProjectionMarkerKey, Azure.ETag.All)).Succeeded);
        Assert.All(await ProjectionsOfAsync(host), p => Assert.Equal(1, p.Value));
    }

    private static async Task<Dictionary<string, int>> ProjectionsOfAsync(MaintenanceTestHost host) =>
        (await host.Services.GetRequiredService<TableStore>().ReadPrefixAsync<TableEntity>(TableNames.WorkOrders, host.Tenant.Value, WorkOrderRows.HeaderPrefix, 1000, default))
        .ToDictionary(r => r.RowKey, r => WorkOrderStore.Decode(r).Projection);

    /// <summary>Every order's derived rows are exactly its current projection (same keys, same content), and the marker is set.</summary>
    private static async Task AssertDerivedRowsAreTheCurrentProjectionAsync(MaintenanceTestHost host)
    {
        var tables = host.Services.GetRequiredService<TableStore>();
        var pk = host.Tenant.Value;
        var rows = await tables.ReadPrefixAsync<TableEntity>(TableNames.WorkOrders, pk, "", 10_000, default);
        var stored = StoredProjections.Of(rows);
        var headers = rows.Where(r => r.RowKey.StartsWith(WorkOrderRows.HeaderPrefix, StringComparison.Ordinal));
        var expected = headers.SelectMany(h => WorkOrderRows.Project(pk, WorkOrderStore.Decode(h).Order)).ToDictionary(r => r.RowKey, r => ((string?)r.Ref, r.Data));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, e => Assert.Equal(e.Value, stored[e.Key]));
        Assert.Contains(expected.Keys, k => k.Contains("!do|", StringComparison.Ordinal));
        Assert.Contains(expected.Keys, k => k.StartsWith(WorkOrderRows.SubtreePrefix("S1."), StringComparison.Ordinal));
        Assert.Equal(WorkOrderRows.ProjectionVersion, (await tables.FindAsync<CounterRow>(TableNames.WorkOrders, pk, WorkOrderRows.ProjectionMarkerKey))?.Value);
    }
}
