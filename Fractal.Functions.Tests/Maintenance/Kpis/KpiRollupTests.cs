using System.Text.Json;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Kpis;
using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Maintenance.Stores.WorkOrders;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Maintenance.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Maintenance.Kpis;

/// <summary>The rollups kept up to date in each order's transaction equal a full recomputation from the orders.</summary>
public sealed class KpiRollupTests
{
    /// <summary>The stored rollups and a recomputation from every stored order, both as canonical JSON.</summary>
    private static async Task<(string Stored, string Recomputed)> CompareAsync(IServiceProvider services, TenantId tenant)
    {
        var tables = services.GetRequiredService<TableStore>();
        var settings = await services.GetRequiredService<ITenantSettingsService>().GetAsync(tenant);
        var orders = (await tables.ReadPrefixAsync<TableEntity>(TableNames.WorkOrders, tenant.Value, WorkOrderRows.HeaderPrefix, 1_000_000, default))
            .Select(r => WorkOrderStore.Decode(r).Order).ToList();
        var (months, open) = KpiRollups.Build(orders, settings);
        var monthRows = await tables.ReadPrefixAsync<TableEntity>(TableNames.WorkOrders, tenant.Value, KpiRollups.MonthPrefix, 1000, default);
        var openRow = await tables.FindAsync<TableEntity>(TableNames.WorkOrders, tenant.Value, KpiRollups.OpenKey);

        string Canonical(IEnumerable<(DateOnly Month, SortedDictionary<string, SortedDictionary<int, DayFacts>> Facts)> m, SortedDictionary<string, OpenFacts> o) =>
            string.Join('\n', m.OrderBy(x => x.Month).Select(x => x.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture) + " " + JsonSerializer.Serialize(
                new SortedDictionary<string, SortedDictionary<int, DayFacts>>(x.Facts, StringComparer.Ordinal))))
            + "\nopen " + JsonSerializer.Serialize(new SortedDictionary<string, OpenFacts>(o, StringComparer.Ordinal));

        return (Canonical(monthRows.Select(r => (KpiRollups.ParseMonth(r.RowKey), KpiRollups.DecodeMonth(r))), openRow is null ? [] : KpiRollups.DecodeOpen(openRow)),
                Canonical(months.Select(m => (m.Key, m.Value)), open));
    }

    [Fact]
    public async Task The_demo_plants_rollups_equal_a_full_recomputation_from_its_orders()
    {
        var demo = await DemoPlantFixture.GetAsync();
        var (stored, recomputed) = await CompareAsync(demo.Host.Services, demo.Tenant);
        Assert.Equal(recomputed, stored);
        Assert.Contains("2026-02", stored);
    }

    [Fact]
    public async Task Rollups_kept_in_each_orders_transaction_equal_a_full_recomputation_after_every_kind_of_change()
    {
        var host = await (await MaintenanceTestHost.CreateAsync(new DateTimeOffset(2026, 3, 31, 12, 0, 0, TimeSpan.Zero))).WithSmallPlantAsync();
        var t = host.Clock.GetUtcNow();
        var wo = host.WorkOrders;
        var failure = (await wo.CreateAsync(host.Tenant, new NewWorkOrder("Falla compresor", WorkOrderType.Emergency, 1, "EQ1",
            [new NewTask("Reparar", 120, OutOfServiceStart: t.AddDays(-40)), new NewTask("Probar", 30)], DueAt: t.AddDays(-39)), "sup")).Value.Folio;
        var pm = (await wo.CreateAsync(host.Tenant, new NewWorkOrder("PM bomba", WorkOrderType.Preventive, 3, "EQ2", [new NewTask("Lubricar", 45)],
            DueAt: t.AddDays(-3), PlanIntervalDays: 30), "plan")).Value.Folio;
        var cancelled = (await wo.CreateAsync(host.Tenant, new NewWorkOrder("Duplicada", WorkOrderType.Corrective, 2, "EQ1",
            [new NewTask("x", 60, OutOfServiceStart: t.AddHours(-5))], DueAt: t.AddDays(2)), "sup")).Value.Folio;
        await wo.AddResourceAsync(host.Tenant, new(failure, "tec"), new NewResource(ResourceKind.Part, "Rodamiento", 2, 14500m));
        await wo.AddResourceAsync(host.Tenant, new(failure, "tec"), new NewResource(ResourceKind.Labour, "Técnico", 3.5m, 15000m));
        await wo.CompleteTaskAsync(host.Tenant, new(failure, "tec"), new TaskCompletion(1, t.AddDays(-40).AddHours(1), t.AddDays(-40).AddHours(5), Failure: new TaskFailure("Mecánica", "Desgaste", 4)));
        await wo.CompleteTaskAsync(host.Tenant, new(failure, "tec"), new TaskCompletion(2, t.AddDays(-40).AddHours(5), t.AddDays(-40).AddHours(6)));
        await wo.TransitionAsync(host.Tenant, new(failure, "tec"), WorkOrderStatus.InReview);
        await wo.TransitionAsync(host.Tenant, new(failure, "sup"), WorkOrderStatus.InProcess, "falta informe");
        await wo.TransitionAsync(host.Tenant, new(failure, "tec"), WorkOrderStatus.InReview);
        await wo.TransitionAsync(host.Tenant, new(failure, "sup"), WorkOrderStatus.Completed);
        await wo.CancelAsync(host.Tenant, new(cancelled, "sup"), "duplicada");
        await wo.CompleteTaskAsync(host.Tenant, new(pm, "tec"), new TaskCompletion(1, t.AddHours(-2), t.AddHours(-1)));
        await wo.AddTaskAsync(host.Tenant, new(pm, "tec"), new NewTask("Revisar sello", null));

        var (stored, recomputed) = await CompareAsync(host.Services, host.Tenant);
        Assert.Equal(recomputed, stored);
        Assert.Contains("\"f\":1", stored);
    }

    [Fact]
    public async Task A_tenant_whose_open_work_row_is_under_its_legacy_key_reads_it_and_its_next_change_moves_it()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var tables = host.Services.GetRequiredService<TableStore>();
        var kpis = host.Services.GetRequiredService<IKpiService>();
        await host.WorkOrders.CreateAsync(host.Tenant, new NewWorkOrder("Falla compresor", WorkOrderType.Corrective, 1, "EQ1", [new NewTask("Reparar", 120)]), "sup");
        var backlog = new KpiRequest([KpiKind.BacklogWeeks], new DateOnly(2026, 1, 1), new DateOnly(2026, 4, 1));
        var expected = (await kpis.ComputeAsync(host.Tenant, backlog)).Value.Results[0].Value;
        Assert.True(expected > 0);

        // As a tenant written before the row moved keeps it.
        var current = (await tables.FindAsync<TableEntity>(TableNames.WorkOrders, host.Tenant.Value, KpiRollups.OpenKey))!;
        await tables.UpsertAsync(TableNames.WorkOrders, new TableEntity(current) { PartitionKey = host.Tenant.Value, RowKey = KpiRollups.LegacyOpenKey });
        await tables.TryDeleteAsync(TableNames.WorkOrders, host.Tenant.Value, KpiRollups.OpenKey, Azure.ETag.All);
        Assert.Equal(expected, (await kpis.ComputeAsync(host.Tenant, backlog)).Value.Results[0].Value);

        await host.WorkOrders.CreateAsync(host.Tenant, new NewWorkOrder("Fuga bomba", WorkOrderType.Corrective, 2, "EQ2", [new NewTask("Sellar", 60)]), "sup");

        Assert.Null(await tables.FindAsync<TableEntity>(TableNames.WorkOrders, host.Tenant.Value, KpiRollups.LegacyOpenKey));
        var (stored, recomputed) = await CompareAsync(host.Services, host.Tenant);
        Assert.Equal(recomputed, stored);
        Assert.Contains("EQ1", stored[stored.IndexOf("\nopen ", StringComparison.Ordinal)..]);
        Assert.True((await kpis.ComputeAsync(host.Tenant, backlog)).Value.Results[0].Value > expected);
    }
}
