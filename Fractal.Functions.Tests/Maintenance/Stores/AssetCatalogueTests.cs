using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Kpis;
using Fractal.Functions.Maintenance.Stores.Assets;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Maintenance.Stores;

/// <summary>
/// The per-process asset catalogue (<see cref="AssetCatalogue"/>): keyed by tenant, dropped on this instance's
/// asset writes, and at most <see cref="AssetCatalogue.CacheFor"/> behind another instance's.
/// </summary>
public sealed class AssetCatalogueTests
{
    private static readonly DateOnly From = new(2026, 1, 1), To = new(2026, 4, 1);

    private static async Task<IReadOnlyList<string>> RankedAsync(MaintenanceTestHost host) =>
        (await host.Services.GetRequiredService<IKpiService>().RankBadActorsAsync(host.Tenant, new BadActorRequest(From, To, BadActorMeasure.DowntimeHours, 100))).Value
            .Select(b => b.AssetId).Order(StringComparer.Ordinal).ToList();

    private static async Task CreateAsync(MaintenanceTestHost host, TenantId tenant, params NewAsset[] assets)
    {
        foreach (var asset in assets) Assert.True((await host.Assets.CreateAsync(tenant, asset)).IsSuccess);
    }

    [Fact]
    public async Task A_cached_asset_of_one_tenant_is_never_served_to_another_tenant_with_the_same_code()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var other = TenantId.New();
        var empty = TenantId.New();
        await CreateAsync(host, other,
            new NewAsset("S9", "Otra planta", AssetKind.Location, AssetLevel.Site, null, 1),
            new NewAsset("EQ1", "Caldera", AssetKind.Equipment, AssetLevel.Equipment, "S9", 2));

        // Warm this instance's copy for the first tenant, then ask for the same code in the others.
        Assert.Equal("Compresor N°2", (await host.Assets.GetAsync(host.Tenant, "EQ1")).Value.Name);
        Assert.Equal(["EQ1", "EQ2"], await RankedAsync(host));

        var others = await host.Assets.GetAsync(other, "eq1");
        Assert.Equal(("Caldera", "S9.EQ1."), (others.Value.Name, others.Value.Path));
        Assert.Equal(DomainErrorKind.NotFound, (await host.Assets.GetAsync(empty, "EQ1")).Error!.Kind);
        Assert.Equal(DomainErrorKind.NotFound, (await host.Assets.GetAsync(other, "EQ2")).Error!.Kind);
        var ranked = (await host.Services.GetRequiredService<IKpiService>().RankBadActorsAsync(other, new BadActorRequest(From, To, BadActorMeasure.Failures, 100))).Value;
        Assert.Equal(["EQ1"], ranked.Select(b => b.AssetId));
        Assert.Equal("Caldera", ranked[0].AssetName);
        Assert.Equal("Compresor N°2", (await host.Assets.GetAsync(host.Tenant, "EQ1")).Value.Name);
    }

    [Fact]
    public async Task An_asset_created_on_this_instance_is_in_the_next_kpi_scope_at_once()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        Assert.Equal(["EQ1", "EQ2"], await RankedAsync(host)); // the copy is warm

        await CreateAsync(host, host.Tenant, new NewAsset("EQ3", "Secador", AssetKind.Equipment, AssetLevel.Equipment, "SY1", 2));

        Assert.Equal(["EQ1", "EQ2", "EQ3"], await RankedAsync(host));
    }

    [Fact]
    public async Task An_asset_created_on_another_instance_is_found_by_code_at_once_and_joins_kpi_scopes_within_the_cache_lifetime()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var second = await MaintenanceTestHost.CreateAsync(host.Clock.GetUtcNow(), host.Tenant);
        Assert.Equal(["EQ1", "EQ2"], await RankedAsync(host));

        await CreateAsync(second, host.Tenant, new NewAsset("EQ3", "Secador", AssetKind.Equipment, AssetLevel.Equipment, "SY1", 2));

        // The documented bound: this instance's copy may lack it until the copy expires...
        Assert.Equal(["EQ1", "EQ2"], await RankedAsync(host));
        host.Clock.Advance(AssetCatalogue.CacheFor + TimeSpan.FromSeconds(1));
        Assert.Equal(["EQ1", "EQ2", "EQ3"], await RankedAsync(host));

        // ...while a lookup by code never misses it: a code the copy lacks is a point read.
        await CreateAsync(second, host.Tenant, new NewAsset("EQ4", "Bomba de vacío", AssetKind.Equipment, AssetLevel.Equipment, "SY1", 2));
        Assert.Equal("Bomba de vacío", (await host.Assets.GetAsync(host.Tenant, "EQ4")).Value.Name);
        Assert.Equal(["EQ1", "EQ2", "EQ3", "EQ4"], await RankedAsync(host)); // and finding it dropped the stale copy
    }

    [Fact]
    public async Task Kpis_read_the_catalogue_again_when_a_rollup_names_an_asset_the_copy_lacks()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var second = await MaintenanceTestHost.CreateAsync(host.Clock.GetUtcNow(), host.Tenant);
        Assert.Equal(["EQ1", "EQ2"], await RankedAsync(host));

        await CreateAsync(second, host.Tenant, new NewAsset("EQ3", "Secador", AssetKind.Equipment, AssetLevel.Equipment, "SY1", 2));
        var stop = host.Clock.GetUtcNow().AddHours(-3);
        var order = await second.WorkOrders.CreateAsync(host.Tenant,
            new NewWorkOrder("Secador detenido", WorkOrderType.Corrective, 1, "EQ3", [new NewTask("Revisar", 60, stop)]), "sup-1");
        Assert.True(order.IsSuccess, order.ToString());

        var kpis = host.Services.GetRequiredService<IKpiService>();
        var downtime = (await kpis.RankBadActorsAsync(host.Tenant, new BadActorRequest(new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 1), BadActorMeasure.DowntimeHours, 100))).Value;
        Assert.Equal("EQ3", downtime[0].AssetId);
        Assert.Equal(3, downtime[0].DowntimeHours, 2);
        var report = (await kpis.ComputeAsync(host.Tenant, new KpiRequest([KpiKind.BacklogWeeks], new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 1), "EQ3"))).Value;
        Assert.Equal(1, report.Results.Single().Coverage.RecordsUsed); // EQ3's open order, from the open-work row
    }
}
