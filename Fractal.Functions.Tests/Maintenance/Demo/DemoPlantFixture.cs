using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Demo;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Maintenance.Demo;

/// <summary>The demo plant loaded once per test run into its own tenant, with the clock at the reference date.</summary>
internal sealed record LoadedDemo(MaintenanceTestHost Host, DemoDataset Data, DemoLoadResult FirstLoad)
{
    public TenantId Tenant => Host.Tenant;
}

internal static class DemoPlantFixture
{
    private static readonly Lazy<Task<LoadedDemo>> Shared = new(LoadAsync);

    public static Task<LoadedDemo> GetAsync() => Shared.Value;

    private static async Task<LoadedDemo> LoadAsync()
    {
        // An Azurite of its own, like McpPlant's: a demo load (~13,000 rows) keeps the single-threaded emulator busy for
        // seconds, and on the shared one other tests' storage calls would queue behind it long enough to time out.
        var app = await TestApp.StartAsync(azurite: await Azurite.StartAsync());
        var host = await MaintenanceTestHost.CreateAsync(DemoPlant.ReferenceDate, app: app);
        var result = await host.Services.GetRequiredService<DemoPlantLoader>().LoadAsync(host.Tenant, CancellationToken.None);
        return new LoadedDemo(host, DemoGenerator.Generate(), result);
    }
}
