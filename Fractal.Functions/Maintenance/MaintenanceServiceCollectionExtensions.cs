using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Demo;
using Fractal.Functions.Maintenance.Kpis;
using Fractal.Functions.Maintenance.Search;
using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Maintenance.Stores.Activity;
using Fractal.Functions.Maintenance.Stores.People;
using Fractal.Functions.Maintenance.Stores.Assets;
using Fractal.Functions.Maintenance.Stores.Inventory;
using Fractal.Functions.Maintenance.Stores.Meters;
using Fractal.Functions.Maintenance.Stores.Plans;
using Fractal.Functions.Maintenance.Stores.Requests;
using Fractal.Functions.Maintenance.Stores.WorkOrders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fractal.Functions.Maintenance;

/// <summary>The maintenance data layer's registrations; <c>AddFractal</c> calls this once.</summary>
public static class MaintenanceServiceCollectionExtensions
{
    public static IServiceCollection AddMaintenance(this IServiceCollection services)
    {
        services.TryAddSingleton<FilteredPager>();
        services.TryAddSingleton<TermIndexCopies>();
        services.TryAddSingleton<TermIndexReader>();
        services.TryAddSingleton<TenantSettingsService>();
        services.TryAddSingleton<ITenantSettingsService>(sp => sp.GetRequiredService<TenantSettingsService>());

        services.TryAddSingleton<AssetCatalogue>();
        services.TryAddSingleton<AssetService>();
        services.TryAddSingleton<IAssetService>(sp => sp.GetRequiredService<AssetService>());
        services.TryAddSingleton<RequestService>();
        services.TryAddSingleton<IRequestService>(sp => sp.GetRequiredService<RequestService>());
        services.TryAddSingleton<PlanService>();
        services.TryAddSingleton<IPlanService>(sp => sp.GetRequiredService<PlanService>());
        services.TryAddSingleton<MeterService>();
        services.TryAddSingleton<IMeterService>(sp => sp.GetRequiredService<MeterService>());
        services.TryAddSingleton<InventoryService>();
        services.TryAddSingleton<IInventoryService>(sp => sp.GetRequiredService<InventoryService>());
        services.TryAddSingleton<ISearchService, SearchService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkOrderDerivedWriter, KpiRollupWriter>());
        services.TryAddSingleton<WorkOrderStore>();
        services.TryAddSingleton<WorkOrderProjections>();
        services.TryAddSingleton<WorkOrderProjectionUpgrade>();
        services.TryAddSingleton<WorkOrderService>();
        services.TryAddSingleton<IWorkOrderService>(sp => sp.GetRequiredService<WorkOrderService>());
        services.TryAddSingleton<IKpiService, KpiService>();
        services.TryAddSingleton<IActivityService, ActivityService>();
        services.TryAddSingleton<IPeopleService, PeopleService>();
        services.TryAddSingleton<DemoPlantLoader>();
        return services;
    }
}
