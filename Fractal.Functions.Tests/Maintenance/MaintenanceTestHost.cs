using Microsoft.Extensions.Time.Testing;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Maintenance;

/// <summary>
/// The maintenance services exactly as the app registers them (<c>AddMaintenance</c>), over the shared
/// Azurite's table layer, with a clock of the test's choosing. Each test works in a fresh tenant.
/// </summary>
internal sealed class MaintenanceTestHost
{
    public required IServiceProvider Services { get; init; }
    public required TenantId Tenant { get; init; }
    public required FakeTimeProvider Clock { get; init; }

    public IWorkOrderService WorkOrders => Services.GetRequiredService<IWorkOrderService>();
    public IAssetService Assets => Services.GetRequiredService<IAssetService>();
    public IRequestService Requests => Services.GetRequiredService<IRequestService>();

    public static readonly DateTimeOffset DefaultNow = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A host of its own (its own process-level caches); <paramref name="tenant"/> shares another host's tenant, as a
    /// second instance would. Storage is <paramref name="app"/>'s (default: the shared test app's).
    /// </summary>
    public static async Task<MaintenanceTestHost> CreateAsync(DateTimeOffset? now = null, TenantId? tenant = null, TestApp? app = null)
    {
        app ??= await TestApp.Shared;
        var clock = new FakeTimeProvider(now ?? DefaultNow);
        var services = new ServiceCollection();
        services.AddSingleton(app.Services.GetRequiredService<TableStore>());
        services.AddKeyedSingleton(TableStore.BulkLoads, app.Services.GetRequiredKeyedService<TableStore>(TableStore.BulkLoads));
        services.AddSingleton(app.Services.GetRequiredService<PagedReader>());
        services.AddSingleton<TimeProvider>(clock);
        services.AddLogging();
        services.AddMaintenance();
        return new MaintenanceTestHost { Services = services.BuildServiceProvider(), Tenant = tenant ?? TenantId.New(), Clock = clock };
    }

    /// <summary>A small plant: S1 > A1 > SY1 > {EQ1 "Compresor N°2", EQ2 "Bomba"}.</summary>
    public async Task<MaintenanceTestHost> WithSmallPlantAsync()
    {
        foreach (var asset in new[]
                 {
                     new NewAsset("S1", "Planta de prueba", AssetKind.Location, AssetLevel.Site, null, 1),
                     new NewAsset("A1", "Servicios", AssetKind.Location, AssetLevel.Area, "S1", 2),
                     new NewAsset("SY1", "Aire comprimido", AssetKind.Location, AssetLevel.System, "A1", 2),
                     new NewAsset("EQ1", "Compresor N°2", AssetKind.Equipment, AssetLevel.Equipment, "SY1", 1),
                     new NewAsset("EQ2", "Bomba de agua", AssetKind.Equipment, AssetLevel.Equipment, "SY1", 3),
                 })
        {
            var created = await Assets.CreateAsync(Tenant, asset);
            Assert.True(created.IsSuccess, created.ToString());
        }
        return this;
    }
}
