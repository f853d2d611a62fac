using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Requests;
using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Tests.Maintenance.Stores;

public sealed class WorkOrderServiceTests
{
    private static NewWorkOrder Corrective(string asset = "EQ1", params NewTask[] tasks) =>
        new("Fuga de aire en compresor", WorkOrderType.Corrective, 2, asset, tasks.Length == 0 ? [new NewTask("Revisar fuga", 60)] : tasks, Responsible: "tec-01");

    [Fact]
    public async Task Folios_are_allocated_in_order_per_tenant_starting_at_OT_1()
    {
        var a = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var b = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();

        Assert.Equal("OT-1", (await a.WorkOrders.CreateAsync(a.Tenant, Corrective(), "sup")).Value.Folio);
        Assert.Equal("OT-2", (await a.WorkOrders.CreateAsync(a.Tenant, Corrective(), "sup")).Value.Folio);
        Assert.Equal("OT-1", (await b.WorkOrders.CreateAsync(b.Tenant, Corrective(), "sup")).Value.Folio);
    }

    [Fact]
    public async Task Concurrent_creations_get_distinct_folios_without_gaps()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.WorkOrders.CreateAsync(host.Tenant, Corrective(), "sup")));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.ToString()));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"OT-{i}"), results.Select(r => r.Value.Folio).Order(StringComparer.Ordinal).OrderBy(f => f.Length));
    }

    [Fact]
    public async Task Repeating_an_idempotency_key_returns_the_first_order_instead_of_creating_another()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var first = await host.WorkOrders.CreateAsync(host.Tenant, Corrective(), "sup", "call-42");
        var again = await host.WorkOrders.CreateAsync(host.Tenant, Corrective(), "sup", "call-42");
        var other = await host.WorkOrders.CreateAsync(host.Tenant, Corrective(), "sup", "call-43");

        Assert.Equal(first.Value.Folio, again.Value.Folio);
        Assert.Equal("OT-2", other.Value.Folio);
    }

    [Fact]
    public async Task Two_concurrent_edits_of_one_work_order_give_exactly_one_success_and_one_typed_conflict()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var wo = (await host.WorkOrders.CreateAsync(host.Tenant, Corrective(), "sup")).Value;

        for (var round = 0; round < 5; round++)
        {
            var current = (await host.WorkOrders.GetAsync(host.Tenant, wo.Folio)).Value.Order;
            var results = await Task.WhenAll(
                host.WorkOrders.AddNoteAsync(host.Tenant, new WorkOrderEdit(wo.Folio, "tec-01", current.Revision), $"nota A{round}"),
                host.WorkOrders.AddNoteAsync(host.Tenant, new WorkOrderEdit(wo.Folio, "tec-02", current.Revision), $"nota B{round}"));

            Assert.Equal(1, results.Count(r => r.IsSuccess));
            var lost = Assert.Single(results, r => !r.IsSuccess);
            Assert.Equal(DomainErrorKind.Conflict, lost.Error!.Kind);
            Assert.Equal("maintenance.work_order.conflict", lost.Error.Code);
        }
        var details = (await host.WorkOrders.GetAsync(host.Tenant, wo.Folio)).Value;
        Assert.Equal(5, details.Notes.Count);
        Assert.Equal(6, details.Order.Revision);
        Assert.Equal(6, details.History.Count);
    }

    [Fact]
    public async Task Racing_edits_without_an_expected_revision_never_overwrite_each_other_silently()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var wo = (await host.WorkOrders.CreateAsync(host.Tenant, Corrective(), "sup")).Value;

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            host.WorkOrders.AddResourceAsync(host.Tenant, new WorkOrderEdit(wo.Folio, "tec"), new NewResource(ResourceKind.Part, $"Repuesto {i}", 1, 10))));

        var succeeded = results.Count(r => r.IsSuccess);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(DomainErrorKind.Conflict, r.Error!.Kind));
        var stored = (await host.WorkOrders.GetAsync(host.Tenant, wo.Folio)).Value;
        Assert.Equal(succeeded, stored.Order.Resources.Count);
        Assert.Equal(1 + succeeded, stored.History.Count);
    }

    [Fact]
    public async Task A_work_order_goes_through_its_life_with_history_of_who_and_when_and_then_refuses_changes()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var folio = (await host.WorkOrders.CreateAsync(host.Tenant, Corrective(), "sup-1")).Value.Folio;
        var t = host.Clock.GetUtcNow();

        host.Clock.Advance(TimeSpan.FromHours(2));
        Assert.True((await host.WorkOrders.CompleteTaskAsync(host.Tenant, new WorkOrderEdit(folio, "tec-01"), new TaskCompletion(1, t.AddMinutes(30), t.AddMinutes(90)))).IsSuccess);
        var refused = await host.WorkOrders.TransitionAsync(host.Tenant, new WorkOrderEdit(folio, "sup-1"), WorkOrderStatus.Completed);
        Assert.Equal("maintenance.work_order.transition_refused", refused.Error!.Code);
        Assert.True((await host.WorkOrders.TransitionAsync(host.Tenant, new WorkOrderEdit(folio, "tec-01"), WorkOrderStatus.InReview)).IsSuccess);
        host.Clock.Advance(TimeSpan.FromHours(1));
        Assert.True((await host.WorkOrders.TransitionAsync(host.Tenant, new WorkOrderEdit(folio, "sup-2"), WorkOrderStatus.Completed)).IsSuccess);

        var cancel = await host.WorkOrders.CancelAsync(host.Tenant, new WorkOrderEdit(folio, "sup-2"), "error");
        Assert.Equal("maintenance.work_order.completed_is_immutable", cancel.Error!.Code);
        var note = await host.WorkOrders.AddNoteAsync(host.Tenant, new WorkOrderEdit(folio, "sup-2"), "tarde");
        Assert.Equal("maintenance.work_order.completed_is_immutable", note.Error!.Code);

        var details = (await host.WorkOrders.GetAsync(host.Tenant, folio)).Value;
        Assert.Equal(WorkOrderStatus.Completed, details.Order.Status);
        Assert.Equal(["created", "task_completed", "status", "status"], details.History.Select(h => h.Action));
        Assert.Equal(["sup-1", "tec-01", "tec-01", "sup-2"], details.History.Select(h => h.UserId));
        Assert.Equal([t, t.AddHours(2), t.AddHours(2), t.AddHours(3)], details.History.Select(h => h.At));
        Assert.Equal(t.AddMinutes(90), details.Order.EndedAt);
    }

    [Fact]
    public async Task Status_indexes_follow_every_transition_in_the_same_batch()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var a = (await host.WorkOrders.CreateAsync(host.Tenant, Corrective(), "sup")).Value.Folio;
        var b = (await host.WorkOrders.CreateAsync(host.Tenant, Corrective("EQ2"), "sup")).Value.Folio;
        await host.WorkOrders.CancelAsync(host.Tenant, new WorkOrderEdit(b, "sup"), "duplicada");

        async Task<string[]> ByStatus(WorkOrderStatus s) =>
            (await host.WorkOrders.ListAsync(host.Tenant, new WorkOrderQuery { Status = s }, PageRequest.First())).Value.Items.Select(i => i.Folio).ToArray();

        Assert.Equal([a], await ByStatus(WorkOrderStatus.InProcess));
        Assert.Equal([b], await ByStatus(WorkOrderStatus.Cancelled));
        Assert.Empty(await ByStatus(WorkOrderStatus.InReview));
    }

    [Fact]
    public async Task Unknown_folios_and_assets_are_typed_not_found_errors()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        Assert.Equal(DomainErrorKind.NotFound, (await host.WorkOrders.GetAsync(host.Tenant, "OT-999")).Error!.Kind);
        Assert.Equal(DomainErrorKind.NotFound, (await host.WorkOrders.GetAsync(host.Tenant, "garbage")).Error!.Kind);
        Assert.Equal("maintenance.asset.not_found", (await host.WorkOrders.CreateAsync(host.Tenant, Corrective("NOPE"), "sup")).Error!.Code);
        Assert.Equal(DomainErrorKind.NotFound, (await host.WorkOrders.AddNoteAsync(host.Tenant, new WorkOrderEdit("OT-5", "u"), "x")).Error!.Kind);
    }

    [Fact]
    public async Task One_tenant_cannot_see_another_tenants_work_orders()
    {
        var a = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var other = await MaintenanceTestHost.CreateAsync();
        var folio = (await a.WorkOrders.CreateAsync(a.Tenant, Corrective(), "sup")).Value.Folio;

        Assert.Equal(DomainErrorKind.NotFound, (await a.WorkOrders.GetAsync(other.Tenant, folio)).Error!.Kind);
        Assert.Empty((await a.WorkOrders.ListAsync(other.Tenant, new WorkOrderQuery(), PageRequest.First())).Value.Items);
    }

    [Fact]
    public async Task An_order_made_from_a_request_moves_the_request_along_with_it()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var request = (await host.Requests.CreateAsync(host.Tenant, new NewServiceRequest("Ruido en bomba", "operador", AssetId: "EQ2"))).Value;

        var wo = (await host.WorkOrders.CreateAsync(host.Tenant, Corrective("EQ2") with { RequestId = request.Id }, "sup")).Value;
        Assert.Equal(RequestStatus.WorkOrderInProcess, (await host.Requests.GetAsync(host.Tenant, request.Id)).Value.Status);
        Assert.Equal(wo.Folio, (await host.Requests.GetAsync(host.Tenant, request.Id)).Value.WorkOrderFolio);

        await host.WorkOrders.CancelAsync(host.Tenant, new WorkOrderEdit(wo.Folio, "sup"), "se hará en la parada");
        Assert.Equal(RequestStatus.InProcess, (await host.Requests.GetAsync(host.Tenant, request.Id)).Value.Status);

        await host.Requests.TransitionAsync(host.Tenant, new RequestEdit(request.Id, "sup"), RequestStatus.Rejected, "no procede");
        var refused = await host.WorkOrders.CreateAsync(host.Tenant, Corrective("EQ2") with { RequestId = request.Id }, "sup");
        Assert.Equal("maintenance.request.transition_refused", refused.Error!.Code);
    }
}
