using System.Text.Json;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Meters;
using Fractal.Functions.Maintenance.Domain.Plans;
using Fractal.Functions.Maintenance.Domain.Tenancy;
using Fractal.Functions.Maintenance.Search;
using Fractal.Functions.Maintenance.Stores.Assets;
using Fractal.Functions.Maintenance.Stores.Meters;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores.Plans;

/// <summary>
/// <see cref="IPlanService"/> on the plan table. A pending task and its index rows change in one
/// transaction guarded by the task's ETag. Day-based tasks follow a fixed schedule: the next calculated
/// date is the previous one plus the interval, whenever the work was done (so lateness is not forgiven).
/// </summary>
internal sealed class PlanService(TableStore tables, FilteredPager pager, AssetService assets, TermIndexCopies searchCopies, ITenantSettingsService settings, TimeProvider time) : IPlanService
{
    private const string Table = TableNames.Plans;

    public async Task<DomainResult<PreventivePlan>> GetPlanAsync(TenantId tenant, string planId, CancellationToken ct = default) =>
        await tables.FindAsync<IndexRow>(Table, tenant.Value, PlanRows.Plan(planId.Trim().ToUpperInvariant()), ct).ConfigureAwait(false) is { } row
            ? DecodePlan(row) : MaintenanceErrors.NotFound("plan", planId);

    public Task<DomainResult<Page<PreventivePlan>>> ListPlansAsync(TenantId tenant, PageRequest page, CancellationToken ct = default) =>
        pager.ReadAsync(RangeQuery.Prefix(Table, tenant.Value, PlanRows.PlanPrefix), page, DecodePlan, _ => true, ct);

    public async Task<DomainResult<PendingTask>> GetPendingTaskAsync(TenantId tenant, string id, CancellationToken ct = default) =>
        await LoadPendingAsync(tenant, id, ct).ConfigureAwait(false) is { } row ? DecodePending(row) : MaintenanceErrors.NotFound("pending_task", id);

    public Task<DomainResult<Page<PendingTask>>> ListPendingTasksAsync(TenantId tenant, PendingTaskQuery query, PageRequest page, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var to = query.OverdueOnly && (query.DueTo is null || query.DueTo > now) ? now : query.DueTo;
        var lower = query.DueFrom is { } from ? PlanRows.ByDue + Keys.Time(from) : PlanRows.ByDue;
        var upper = to is { } t ? PlanRows.ByDue + Keys.Time(t) + "|\uffff" : Keys.After(PlanRows.ByDue);
        var asset = query.AssetId?.Trim().ToUpperInvariant();
        return pager.ReadAsync(new RangeQuery(Table, tenant.Value, lower, upper), page, DecodePending,
            p => p.CalculatedDueAt is { } due && (query.DueFrom is null || due >= query.DueFrom) && (to is null || due < to) && (asset is null || p.AssetId == asset), ct);
    }

    public async Task<IReadOnlyList<PendingTask>> ListMeterTriggeredAsync(TenantId tenant, string meterId, CancellationToken ct = default) =>
        (await tables.ReadPrefixAsync<IndexRow>(Table, tenant.Value, $"{PlanRows.ByMeter}{meterId.Trim().ToUpperInvariant()}|", 1000, ct).ConfigureAwait(false))
        .Select(DecodePending).ToList();

    public async Task<DomainResult<PreventivePlan>> CreatePlanAsync(TenantId tenant, PreventivePlan plan, DateTimeOffset start, CancellationToken ct = default)
    {
        var id = plan.Id.Trim().ToUpperInvariant();
        if (!Asset.IsValidCode(id)) return MaintenanceErrors.Invalid("id", "1-32 upper-case letters, digits and dashes.");
        if (plan.Tasks.Count == 0 || plan.Tasks.Any(t => t.Interval <= 0 || t.EstimatedMinutes < 0)) return MaintenanceErrors.Invalid("tasks", "at least one, each with a positive interval.");
        var pk = tenant.Value;
        var clock = (await settings.GetAsync(tenant, ct).ConfigureAwait(false)).Clock();
        var pending = new List<PendingTask>();
        foreach (var assetId in plan.AssetIds)
        {
            if (await assets.FindAsync(tenant, assetId, ct).ConfigureAwait(false) is not { } asset) return MaintenanceErrors.NotFound("asset", assetId);
            var meter = plan.Tasks.Any(t => t.Trigger == TriggerKind.EveryMeterUnits) ? await CounterOfAsync(tenant, asset.Id, ct).ConfigureAwait(false) : null;
            foreach (var task in plan.Tasks)
            {
                if (task.Trigger == TriggerKind.EveryMeterUnits && meter is null) return MaintenanceErrors.Invalid("tasks", $"asset {asset.Id} has no counter meter for a meter-triggered task.");
                pending.Add(task.Trigger == TriggerKind.EveryDays
                    ? NewPending(id, task, asset, AddLocalDays(clock, start, task.Interval), null, null)
                    : NewPending(id, task, asset, null, meter!.Id, (meter.LastValue ?? 0) + task.Interval));
            }
        }
        var created = plan with { Id = id, AssetIds = plan.AssetIds.Select(a => a.Trim().ToUpperInvariant()).ToList() };
        var first = Rows(pk, created).Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)).ToList();
        if (!(await tables.TrySubmitAsync(Table, first, ct).ConfigureAwait(false)).Succeeded) return MaintenanceErrors.AlreadyExists("plan", id);
        searchCopies.Invalidate(tenant, Table); // this instance's search finds the new plan at once
        foreach (var chunk in pending.SelectMany(p => PendingRows(pk, p)).Chunk(100))
            await tables.TrySubmitAsync(Table, chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)).ToList(), ct).ConfigureAwait(false);
        return created;
    }

    /// <summary>Makes due (now) every task on this meter whose threshold the reading reached; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> TriggerByMeterAsync(TenantId tenant, string meterId, double value, DateTimeOffset at, CancellationToken ct)
    {
        var triggered = new List<string>();
        foreach (var task in await ListMeterTriggeredAsync(tenant, meterId, ct).ConfigureAwait(false))
        {
            if (task.CalculatedDueAt is not null || task.NextMeterValue > value) continue;
            if (await UpdatePendingAsync(tenant, task.Id, p => p.CalculatedDueAt is null ? p with { CalculatedDueAt = at } : p, ct).ConfigureAwait(false))
                triggered.Add(task.Id);
        }
        return triggered;
    }

    /// <summary>Advances a task after its work order was done: next date (fixed schedule) or next meter threshold.</summary>
    public async Task<bool> MarkDoneAsync(TenantId tenant, string pendingTaskId, DateTimeOffset doneAt, CancellationToken ct)
    {
        double? meterValue = null;
        if (await GetPendingTaskAsync(tenant, pendingTaskId, ct).ConfigureAwait(false) is { IsSuccess: true, Value.MeterId: { } meterId })
            meterValue = (await tables.FindAsync<IndexRow>(TableNames.Meters, tenant.Value, MeterRows.Record(meterId), ct).ConfigureAwait(false)) is { } m
                ? JsonSerializer.Deserialize(m.Data!, MaintenanceJson.Default.Meter)!.LastValue : null;
        var clock = (await settings.GetAsync(tenant, ct).ConfigureAwait(false)).Clock();
        return await UpdatePendingAsync(tenant, pendingTaskId, p => p.Trigger == TriggerKind.EveryDays
            ? p with { LastDoneAt = doneAt, CalculatedDueAt = AddLocalDays(clock, p.CalculatedDueAt ?? doneAt, p.Interval), ScheduledAt = null }
            : p with { LastDoneAt = doneAt, CalculatedDueAt = null, ScheduledAt = null, NextMeterValue = (meterValue ?? p.NextMeterValue ?? 0) + p.Interval }, ct).ConfigureAwait(false);
    }

    /// <summary>N days later at the same local wall-clock time (a DST change must not move a due time by an hour).</summary>
    private static DateTimeOffset AddLocalDays(TenantClock clock, DateTimeOffset instant, int days) => clock.ToUtc(clock.ToLocal(instant).AddDays(days));

    internal static IEnumerable<ITableEntity> Rows(string partition, PreventivePlan plan) => [PlanRows.EncodePlan(partition, plan), .. PlanRows.ProjectPlan(partition, plan)];

    internal static IEnumerable<ITableEntity> PendingRows(string partition, PendingTask task) => [PlanRows.EncodePending(partition, task), .. PlanRows.ProjectPending(partition, task)];

    internal static PendingTask NewPending(string planId, PlanTask task, Asset asset, DateTimeOffset? due, string? meterId, double? nextValue) =>
        new(PendingTask.MakeId(planId, task.Id, asset.Id), planId, task.Id, asset.Id, asset.Name, task.Description, task.Trigger, task.Interval,
            task.EstimatedMinutes, task.WorkOrderType, due, MeterId: meterId, NextMeterValue: nextValue);

    private async Task<bool> UpdatePendingAsync(TenantId tenant, string id, Func<PendingTask, PendingTask> change, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await LoadPendingAsync(tenant, id, ct).ConfigureAwait(false) is not { } row) return false;
            var before = DecodePending(row);
            var after = change(before);
            if (after == before) return false;
            var pk = tenant.Value;
            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, PlanRows.EncodePending(pk, after), row.ETag) };
            actions.AddRange(RowDiff.Actions(PlanRows.ProjectPending(pk, before), PlanRows.ProjectPending(pk, after)));
            if ((await tables.TrySubmitAsync(Table, actions, ct).ConfigureAwait(false)).Succeeded) return true;
        }
        return false;
    }

    private async Task<Meter?> CounterOfAsync(TenantId tenant, string assetId, CancellationToken ct) =>
        (await tables.ReadPrefixAsync<IndexRow>(TableNames.Meters, tenant.Value, $"{MeterRows.ByAsset}{assetId}|", 100, ct).ConfigureAwait(false))
        .Select(r => JsonSerializer.Deserialize(r.Data!, MaintenanceJson.Default.Meter)!).FirstOrDefault(m => m.Kind == MeterKind.Counter);

    private Task<IndexRow?> LoadPendingAsync(TenantId tenant, string id, CancellationToken ct) =>
        tables.FindAsync<IndexRow>(Table, tenant.Value, PlanRows.Pending(id.Trim().ToUpperInvariant()), ct);

    private static PreventivePlan DecodePlan(IndexRow row) => JsonSerializer.Deserialize(row.Data!, MaintenanceJson.Default.PreventivePlan)!;
    private static PendingTask DecodePending(IndexRow row) => JsonSerializer.Deserialize(row.Data!, MaintenanceJson.Default.PendingTask)!;
}
