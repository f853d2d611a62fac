using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Inventory;
using Fractal.Functions.Maintenance.Domain.Meters;
using Fractal.Functions.Maintenance.Domain.Plans;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Maintenance.Stores;

public sealed class MeterPlanInventoryTests
{
    [Fact]
    public async Task A_reading_that_reaches_a_threshold_makes_the_meter_triggered_task_due_and_says_so()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var meters = host.Services.GetRequiredService<IMeterService>();
        var plans = host.Services.GetRequiredService<IPlanService>();
        await meters.CreateAsync(host.Tenant, new Meter("H-EQ1", "EQ1", "Horómetro", "h", MeterKind.Counter));
        var t = host.Clock.GetUtcNow();
        await meters.RecordReadingAsync(host.Tenant, "H-EQ1", 100, "tec", t.AddDays(-10));
        var plan = new PreventivePlan("PM-AIRE", "Compresores", ["EQ1"],
            [new PlanTask(1, "Cambio de aceite", TriggerKind.EveryMeterUnits, 500, 60, WorkOrderType.Preventive),
             new PlanTask(2, "Inspección visual", TriggerKind.EveryDays, 7, 15, WorkOrderType.Inspection)]);
        Assert.True((await plans.CreatePlanAsync(host.Tenant, plan, t.AddDays(-10))).IsSuccess);

        var below = (await meters.RecordReadingAsync(host.Tenant, "H-EQ1", 450, "tec", t.AddDays(-5))).Value;
        Assert.Empty(below.TriggeredPendingTaskIds);
        var reached = (await meters.RecordReadingAsync(host.Tenant, "H-EQ1", 620, "tec")).Value;
        Assert.Equal(["PM-AIRE-1-EQ1"], reached.TriggeredPendingTaskIds);
        Assert.Equal(620, reached.Meter.LastValue);
        Assert.Equal(520 / (10 / 30.4375), reached.Meter.MonthlyAverage!.Value, 6);

        Assert.Equal(DomainErrorKind.Invalid, (await meters.RecordReadingAsync(host.Tenant, "H-EQ1", 10, "tec")).Error!.Kind);
        var due = (await plans.ListPendingTasksAsync(host.Tenant, new PendingTaskQuery(DueTo: t.AddDays(1)), PageRequest.First())).Value.Items;
        Assert.Equal(["PM-AIRE-2-EQ1", "PM-AIRE-1-EQ1"], due.Select(p => p.Id));
        var overdue = (await plans.ListPendingTasksAsync(host.Tenant, new PendingTaskQuery(OverdueOnly: true), PageRequest.First())).Value.Items;
        Assert.Equal(["PM-AIRE-2-EQ1"], overdue.Select(p => p.Id));
    }

    [Fact]
    public async Task Completing_a_preventive_order_moves_its_pending_task_to_the_next_calculated_date()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var plans = host.Services.GetRequiredService<IPlanService>();
        var t = host.Clock.GetUtcNow();
        await plans.CreatePlanAsync(host.Tenant, new PreventivePlan("PM-B", "Bombas", ["EQ2"], [new PlanTask(1, "Lubricar", TriggerKind.EveryDays, 30, 20, WorkOrderType.Preventive)]), t.AddDays(-31));
        var task = (await plans.GetPendingTaskAsync(host.Tenant, "PM-B-1-EQ2")).Value;
        var wo = (await host.WorkOrders.CreateAsync(host.Tenant, new NewWorkOrder("Lubricar", WorkOrderType.Preventive, 3, "EQ2", [new NewTask("Lubricar", 20)],
            DueAt: task.CalculatedDueAt, PendingTaskId: task.Id, PlanIntervalDays: 30), "sup")).Value;
        await host.WorkOrders.CompleteTaskAsync(host.Tenant, new WorkOrderEdit(wo.Folio, "tec"), new TaskCompletion(1, t.AddMinutes(-30), t));
        await host.WorkOrders.TransitionAsync(host.Tenant, new WorkOrderEdit(wo.Folio, "tec"), WorkOrderStatus.InReview);
        await host.WorkOrders.TransitionAsync(host.Tenant, new WorkOrderEdit(wo.Folio, "sup"), WorkOrderStatus.Completed);

        var next = (await plans.GetPendingTaskAsync(host.Tenant, task.Id)).Value;
        Assert.Equal(task.CalculatedDueAt!.Value.AddDays(30), next.CalculatedDueAt);
        Assert.Equal(t, next.LastDoneAt);
    }

    [Fact]
    public async Task The_below_minimum_list_follows_stock_adjustments()
    {
        var host = await MaintenanceTestHost.CreateAsync();
        var inventory = host.Services.GetRequiredService<IInventoryService>();
        await inventory.CreateWarehouseAsync(host.Tenant, new Warehouse("BOD-1", "Bodega central"));
        await inventory.CreatePartAsync(host.Tenant, new Part("ROD-6205", "Rodamiento 6205", "un", 12.5m));
        await inventory.CreateStockAsync(host.Tenant, new StockLevel("ROD-6205", "Rodamiento 6205", "BOD-1", 5, 4, 20, 6, "un", 12.5m));
        async Task<int> BelowMinimum() => (await inventory.CheckStockAsync(host.Tenant, new StockQuery(BelowMinimumOnly: true), PageRequest.First())).Value.Items.Count;

        Assert.Equal(0, await BelowMinimum());
        Assert.Equal(3, (await inventory.AdjustStockAsync(host.Tenant, "rod-6205", "bod-1", -2, "tec")).Value.Quantity);
        Assert.Equal(1, await BelowMinimum());
        Assert.Equal(DomainErrorKind.Invalid, (await inventory.AdjustStockAsync(host.Tenant, "ROD-6205", "BOD-1", -10, "tec")).Error!.Kind);
        await inventory.AdjustStockAsync(host.Tenant, "ROD-6205", "BOD-1", 10, "tec");
        Assert.Equal(0, await BelowMinimum());
        Assert.Single((await inventory.CheckStockAsync(host.Tenant, new StockQuery(WarehouseId: "BOD-1"), PageRequest.First())).Value.Items);
    }
}
