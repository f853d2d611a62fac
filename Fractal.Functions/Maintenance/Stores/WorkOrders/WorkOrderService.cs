using System.Text.Json;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Requests;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Stores.Assets;
using Fractal.Functions.Maintenance.Stores.Plans;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Maintenance.Stores.WorkOrders;

/// <summary>
/// <see cref="IWorkOrderService"/> on Table Storage: load the order, apply a pure rule from
/// <see cref="WorkOrderRules"/>, save it in one transaction guarded by the order's ETag. A lost race on the
/// order is a typed conflict; a lost race on a shared row (folio counter, rollup) is retried here.
/// </summary>
internal sealed class WorkOrderService(
    WorkOrderStore store,
    AssetService assets,
    IRequestService requests,
    PlanService plans,
    FilteredPager pager,
    WorkOrderProjections projections,
    TimeProvider time,
    ILogger<WorkOrderService> log) : IWorkOrderService
{
    private const int MaxAttempts = 10;

    public async Task<DomainResult<WorkOrderDetails>> GetAsync(TenantId tenant, string folio, CancellationToken ct = default)
    {
        if (!WorkOrder.TryParseFolio(folio, out var n)) return MaintenanceErrors.NotFound("work_order", folio);
        var loaded = await store.LoadAsync(tenant, n, ct).ConfigureAwait(false);
        if (loaded is null) return MaintenanceErrors.NotFound("work_order", folio);
        var notes = await store.ReadNotesAsync(tenant, n, ct).ConfigureAwait(false);
        return new WorkOrderDetails(loaded.Order, loaded.History, notes);
    }

    public async Task<DomainResult<Page<WorkOrderSummary>>> ListAsync(TenantId tenant, WorkOrderQuery query, PageRequest page, CancellationToken ct = default)
    {
        string? path = null;
        if (query.AssetId is { } assetId)
        {
            var asset = await assets.FindAsync(tenant, assetId, ct).ConfigureAwait(false);
            if (asset is null) return MaintenanceErrors.NotFound("asset", assetId);
            path = asset.Path;
        }
        if (query.Priority is < 1 or > 5) return MaintenanceErrors.Invalid("priority", "1 (very high) to 5 (very low).");
        if (query.From is { } f && query.To is { } t && t < f) return MaintenanceErrors.Invalid("to", "must not be before from.");
        var now = time.GetUtcNow();
        var subtreeIndex = path is not null && await projections.AreCurrentAsync(tenant, ct).ConfigureAwait(false);
        var range = WorkOrderQueryPlan.Choose(tenant.Value, query, path, now, subtreeIndex);
        bool Keep(WorkOrderSummary s) => WorkOrderQueryPlan.Matches(s, query, path, now);
        return range.RowKeyFrom == WorkOrderRows.HeaderPrefix
            ? await pager.ReadAsync<TableEntity, WorkOrderSummary>(range, page, row => WorkOrderSummary.From(RecordCodec.Decode(row, MaintenanceJson.Default.WorkOrder)), Keep, ct).ConfigureAwait(false)
            : await pager.ReadAsync(range, page, row => JsonSerializer.Deserialize(row.Data!, MaintenanceJson.Default.WorkOrderSummary)!, Keep, ct).ConfigureAwait(false);
    }

    public async Task<AssetActivity> GetAssetActivityAsync(TenantId tenant, Asset asset, int recent, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recent, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(recent, PageRequest.MaxSize);
        if (await projections.AreCurrentAsync(tenant, ct).ConfigureAwait(false))
            return await store.ReadAssetActivityAsync(tenant, asset.Path, recent, ct).ConfigureAwait(false);
        // Some orders may predate the subtree index (and the open downtime in it): two reads, at once.
        var orders = ListAsync(tenant, new WorkOrderQuery { AssetId = asset.Id }, new PageRequest(recent), ct);
        var open = assets.GetOpenDowntimeAsync(tenant, asset.Id, ct);
        var list = await orders.ConfigureAwait(false);
        return new AssetActivity(await open.ConfigureAwait(false), list.IsSuccess ? list.Value.Items : []);
    }

    public async Task<DomainResult<WorkOrder>> CreateAsync(TenantId tenant, NewWorkOrder order, string userId, string? idempotencyKey = null, CancellationToken ct = default)
    {
        if (idempotencyKey is { Length: 0 or > 200 }) return MaintenanceErrors.Invalid("idempotencyKey", "1 to 200 characters.");
        if (idempotencyKey is not null && await ExistingAsync(tenant, idempotencyKey, ct).ConfigureAwait(false) is { } earlier) return earlier;
        if (WorkOrderRules.ValidateNew(order) is { } invalid) return invalid;
        var asset = await assets.FindAsync(tenant, order.AssetId, ct).ConfigureAwait(false);
        if (asset is null) return MaintenanceErrors.NotFound("asset", order.AssetId);
        if (order.RequestId is { } requestId)
        {
            var request = await requests.GetAsync(tenant, requestId, ct).ConfigureAwait(false);
            if (!request.IsSuccess) return request.Error;
            var dryRun = RequestRules.Transition(request.Value, RequestStatus.WorkOrderInProcess, userId, time.GetUtcNow(), workOrderFolio: "OT-0");
            if (!dryRun.IsSuccess) return dryRun.Error;
            order = order with { RequestId = request.Value.Id };
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var counter = await store.ReadCounterAsync(tenant, ct).ConfigureAwait(false);
            var created = WorkOrderRules.Create((counter?.Value ?? 0) + 1, order, asset.Name, asset.Path, userId, time.GetUtcNow());
            if (!created.IsSuccess) return created.Error;
            switch (await store.InsertAsync(tenant, counter, created.Value, idempotencyKey, ct).ConfigureAwait(false))
            {
                case SaveOutcome.Saved:
                    await FollowRequestAsync(tenant, null, created.Value.Order, userId, ct).ConfigureAwait(false);
                    return created.Value.Order;
                case SaveOutcome.Duplicate:
                    return (await ExistingAsync(tenant, idempotencyKey!, ct).ConfigureAwait(false))!;
                default:
                    await BackOffAsync(attempt, ct).ConfigureAwait(false);
                    break;
            }
        }
        return MaintenanceErrors.Busy("the work-order folio counter");
    }

    public Task<DomainResult<WorkOrder>> TransitionAsync(TenantId tenant, WorkOrderEdit edit, WorkOrderStatus to, string? comment = null, CancellationToken ct = default) =>
        EditAsync(tenant, edit, (wo, now) => WorkOrderRules.Transition(wo, to, edit.UserId, now, comment), ct);

    public Task<DomainResult<WorkOrder>> CancelAsync(TenantId tenant, WorkOrderEdit edit, string reason, CancellationToken ct = default) =>
        EditAsync(tenant, edit, (wo, now) => WorkOrderRules.Cancel(wo, reason, edit.UserId, now), ct);

    public Task<DomainResult<WorkOrder>> AddNoteAsync(TenantId tenant, WorkOrderEdit edit, string text, CancellationToken ct = default) =>
        EditAsync(tenant, edit, (wo, now) => WorkOrderRules.AddNote(wo, text, edit.UserId, now), ct);

    public Task<DomainResult<WorkOrder>> AddNoteAndTransitionAsync(TenantId tenant, WorkOrderEdit edit, string text, WorkOrderStatus to, CancellationToken ct = default) =>
        EditAsync(tenant, edit, (wo, now) => WorkOrderRules.Both(WorkOrderRules.AddNote(wo, text, edit.UserId, now),
            noted => WorkOrderRules.Transition(noted, to, edit.UserId, now)), ct);

    public Task<DomainResult<WorkOrder>> AddTaskAsync(TenantId tenant, WorkOrderEdit edit, NewTask task, CancellationToken ct = default) =>
        EditAsync(tenant, edit, (wo, now) => WorkOrderRules.AddTask(wo, task, edit.UserId, now), ct);

    public Task<DomainResult<WorkOrder>> CompleteTaskAsync(TenantId tenant, WorkOrderEdit edit, TaskCompletion completion, CancellationToken ct = default) =>
        EditAsync(tenant, edit, (wo, now) => WorkOrderRules.CompleteTask(wo, completion, edit.UserId, now), ct);

    public Task<DomainResult<WorkOrder>> MarkOutOfServiceAsync(TenantId tenant, WorkOrderEdit edit, int taskId, DateTimeOffset start, CancellationToken ct = default) =>
        EditAsync(tenant, edit, (wo, now) => WorkOrderRules.MarkOutOfService(wo, taskId, start, edit.UserId, now), ct);

    public Task<DomainResult<WorkOrder>> AddResourceAsync(TenantId tenant, WorkOrderEdit edit, NewResource resource, CancellationToken ct = default) =>
        EditAsync(tenant, edit, (wo, now) => WorkOrderRules.AddResource(wo, resource, edit.UserId, now), ct);

    public Task<DomainResult<WorkOrder>> ReassignAsync(TenantId tenant, WorkOrderEdit edit, string? responsible, CancellationToken ct = default) =>
        EditAsync(tenant, edit, (wo, now) => WorkOrderRules.Reassign(wo, responsible, edit.UserId, now), ct);

    public Task<DomainResult<WorkOrder>> RescheduleAsync(TenantId tenant, WorkOrderEdit edit, DateTimeOffset? scheduledAt, CancellationToken ct = default) =>
        EditAsync(tenant, edit, (wo, now) => WorkOrderRules.Reschedule(wo, scheduledAt, edit.UserId, now), ct);

    private async Task<DomainResult<WorkOrder>> EditAsync(TenantId tenant, WorkOrderEdit edit, Func<WorkOrder, DateTimeOffset, DomainResult<WorkOrderChange>> rule, CancellationToken ct)
    {
        if (!WorkOrder.TryParseFolio(edit.Folio, out var n)) return MaintenanceErrors.NotFound("work_order", edit.Folio);
        if (string.IsNullOrWhiteSpace(edit.UserId)) return MaintenanceErrors.Invalid("userId", "the acting user is required.");
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var loaded = await store.LoadAsync(tenant, n, ct).ConfigureAwait(false);
            if (loaded is null) return MaintenanceErrors.NotFound("work_order", edit.Folio);
            if (edit.ExpectedRevision is { } expected && expected != loaded.Order.Revision)
                return MaintenanceErrors.Conflict("work_order", loaded.Order.Folio);
            if (loaded.History.Count >= WorkOrder.MaxHistory) return MaintenanceErrors.TooLarge(loaded.Order.Folio, "history entries", WorkOrder.MaxHistory);
            var change = rule(loaded.Order, time.GetUtcNow());
            if (!change.IsSuccess) return change.Error;
            switch (await store.SaveAsync(tenant, loaded, change.Value, ct).ConfigureAwait(false))
            {
                case SaveOutcome.Saved:
                    await FollowRequestAsync(tenant, loaded.Order, change.Value.Order, edit.UserId, ct).ConfigureAwait(false);
                    await FollowPlanAsync(tenant, loaded.Order, change.Value.Order, ct).ConfigureAwait(false);
                    return change.Value.Order;
                case SaveOutcome.Conflict:
                    return MaintenanceErrors.Conflict("work_order", loaded.Order.Folio);
                default:
                    await BackOffAsync(attempt, ct).ConfigureAwait(false);
                    break;
            }
        }
        return MaintenanceErrors.Busy($"work order {edit.Folio}");
    }

    /// <summary>
    /// Keeps the originating request in step (another partition, so not in the order's transaction): a new
    /// order puts it in "WO in process", completion resolves it, cancellation returns it to "in process".
    /// The order's change stands even if this fails; the failure is logged.
    /// </summary>
    private async Task FollowRequestAsync(TenantId tenant, WorkOrder? before, WorkOrder after, string userId, CancellationToken ct)
    {
        if (after.RequestId is not { } requestId || before?.Status == after.Status) return;
        RequestStatus? to = after.Status switch
        {
            WorkOrderStatus.InProcess when before is null => RequestStatus.WorkOrderInProcess,
            WorkOrderStatus.Completed => RequestStatus.ResolvedWithWorkOrder,
            WorkOrderStatus.Cancelled => RequestStatus.InProcess,
            _ => null,
        };
        if (to is null) return;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var result = await requests.TransitionAsync(tenant, new RequestEdit(requestId, userId), to.Value,
                to == RequestStatus.InProcess ? $"work order {after.Folio} cancelled" : null, after.Folio, ct).ConfigureAwait(false);
            if (result.IsSuccess || result.Error.Kind != DomainErrorKind.Conflict)
            {
                if (!result.IsSuccess) log.LogWarning("Request {Request} did not follow work order {Folio}: {Error}", requestId, after.Folio, result.Error);
                return;
            }
        }
    }

    /// <summary>A completed preventive order advances its pending task to the next occurrence (another partition; logged on failure).</summary>
    private async Task FollowPlanAsync(TenantId tenant, WorkOrder before, WorkOrder after, CancellationToken ct)
    {
        if (after.PendingTaskId is not { } taskId || before.Status == after.Status || after.Status != WorkOrderStatus.Completed) return;
        if (!await plans.MarkDoneAsync(tenant, taskId, after.EndedAt ?? after.CompletedAt ?? time.GetUtcNow(), ct).ConfigureAwait(false))
            log.LogWarning("Pending task {Task} did not advance after work order {Folio}", taskId, after.Folio);
    }

    private async Task<WorkOrder?> ExistingAsync(TenantId tenant, string idempotencyKey, CancellationToken ct)
    {
        var folio = await store.FindByIdempotencyKeyAsync(tenant, idempotencyKey, ct).ConfigureAwait(false);
        return folio is not null && WorkOrder.TryParseFolio(folio, out var n) ? (await store.LoadAsync(tenant, n, ct).ConfigureAwait(false))?.Order : null;
    }

    private static Task BackOffAsync(int attempt, CancellationToken ct) =>
        Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * (attempt + 1))), ct);
}
