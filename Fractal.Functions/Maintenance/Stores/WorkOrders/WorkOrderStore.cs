using Azure;
using Azure.Data.Tables;
using System.Text.Json;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Stores.Activity;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores.WorkOrders;

/// <param name="Projection">The projection version the order's derived rows were written at (<see cref="WorkOrderRows.ProjectionVersion"/>).</param>
internal sealed record LoadedWorkOrder(WorkOrder Order, IReadOnlyList<HistoryEntry> History, ETag ETag, int Projection);

internal enum SaveOutcome
{
    Saved,
    /// <summary>The order itself changed since it was read: the caller lost the race.</summary>
    Conflict,
    /// <summary>Only a shared row (counter, rollup) moved under us: build the batch again and retry.</summary>
    Retry,
    /// <summary>The idempotency key was used before: the earlier order stands.</summary>
    Duplicate,
}

/// <summary>
/// Reads and writes one tenant's work-order partition. Every write is ONE entity-group transaction holding
/// the order's row (guarded by its ETag; it carries the history too), a new note row if any, the activity-feed rows of its history entries, every derived row that changed (indexes,
/// terms, downtime) and the summaries of <see cref="IWorkOrderDerivedWriter"/>: all or nothing.
/// </summary>
internal sealed class WorkOrderStore(TableStore tables, IEnumerable<IWorkOrderDerivedWriter> derivedWriters)
{
    private const string Table = TableNames.WorkOrders;
    private const int MaxBatch = 100;

    public async Task<LoadedWorkOrder?> LoadAsync(TenantId tenant, long number, CancellationToken ct)
    {
        var row = await tables.FindAsync<TableEntity>(Table, tenant.Value, WorkOrderRows.Header(number), ct).ConfigureAwait(false);
        return row is null ? null : Decode(row);
    }

    public static LoadedWorkOrder Decode(TableEntity row) =>
        new(RecordCodec.Decode(row, MaintenanceJson.Default.WorkOrder), RecordCodec.Get(row, "History", MaintenanceJson.Default.IReadOnlyListHistoryEntry) ?? [], row.ETag,
            row.GetInt32(WorkOrderRows.ProjectionColumn) ?? 1);

    /// <summary>
    /// The order's row: the order in <c>Data</c>, its whole history in <c>History</c> (one ETag guards both), and the
    /// projection version of the derived rows written with it (always the current one: every writer writes those).
    /// </summary>
    public static TableEntity Encode(string partition, WorkOrder order, IReadOnlyList<HistoryEntry> history, ETag etag = default)
    {
        var row = RecordCodec.Encode(partition, WorkOrderRows.Header(order.Number), "workorder", order, MaintenanceJson.Default.WorkOrder, etag);
        RecordCodec.Put(row, "History", history, MaintenanceJson.Default.IReadOnlyListHistoryEntry);
        row[WorkOrderRows.ProjectionColumn] = WorkOrderRows.ProjectionVersion;
        return row;
    }

    /// <summary>The tenant-wide "every order is at this projection" row (<see cref="WorkOrderRows.ProjectionMarkerKey"/>).</summary>
    public static CounterRow ProjectionMarker(string partition) =>
        new() { PartitionKey = partition, RowKey = WorkOrderRows.ProjectionMarkerKey, Value = WorkOrderRows.ProjectionVersion };

    /// <summary>
    /// One read of the asset's subtree index (<see cref="WorkOrderRows.SubtreePrefix"/>), valid once every order is at
    /// projection 2: the asset's own open downtime comes first (<see cref="WorkOrderRows.AssetOpenDowntime"/>), then
    /// its subtree's orders, newest first. Stops at the <paramref name="recent"/>th order; a page holds that many rows
    /// and a few more, so only an asset with more than <see cref="OpenDowntimeSlack"/> open intervals costs a second read.
    /// </summary>
    public async Task<AssetActivity> ReadAssetActivityAsync(TenantId tenant, string assetPath, int recent, CancellationToken ct)
    {
        var client = await tables.GetTableAsync(Table, ct).ConfigureAwait(false);
        var filter = RangeQuery.Prefix(Table, tenant.Value, WorkOrderRows.SubtreePrefix(assetPath)).Filter;
        var open = new List<DowntimeInterval>();
        var orders = new List<WorkOrderSummary>(recent);
        await foreach (var row in client.QueryAsync<IndexRow>(filter, maxPerPage: recent + OpenDowntimeSlack, cancellationToken: ct).ConfigureAwait(false))
        {
            if (row.Ref.Length == 0)
            {
                open.Add(JsonSerializer.Deserialize(row.Data!, MaintenanceJson.Default.DowntimeInterval)!);
                continue;
            }
            orders.Add(JsonSerializer.Deserialize(row.Data!, MaintenanceJson.Default.WorkOrderSummary)!);
            if (orders.Count == recent) break;
        }
        return new AssetActivity(open, orders);
    }

    private const int OpenDowntimeSlack = 10;

    public async Task<IReadOnlyList<WorkOrderNote>> ReadNotesAsync(TenantId tenant, long number, CancellationToken ct) =>
        (await tables.ReadPrefixAsync<TableEntity>(Table, tenant.Value, WorkOrderRows.NotePrefix(number), 10_000, ct).ConfigureAwait(false))
        .Select(r => RecordCodec.Decode(r, MaintenanceJson.Default.WorkOrderNote)).ToList();

    public async Task<string?> FindByIdempotencyKeyAsync(TenantId tenant, string key, CancellationToken ct) =>
        (await tables.FindAsync<IndexRow>(Table, tenant.Value, WorkOrderRows.Idempotency(key), ct).ConfigureAwait(false))?.Ref;

    public Task<CounterRow?> ReadCounterAsync(TenantId tenant, CancellationToken ct) =>
        tables.FindAsync<CounterRow>(Table, tenant.Value, WorkOrderRows.CounterKey, ct);

    /// <summary>Inserts a new order with number counter+1, advancing the counter in the same transaction.</summary>
    public async Task<SaveOutcome> InsertAsync(TenantId tenant, CounterRow? counter, WorkOrderChange created, string? idempotencyKey, CancellationToken ct)
    {
        var pk = tenant.Value;
        var wo = created.Order;
        var actions = new List<TableTransactionAction>();
        var next = new CounterRow { PartitionKey = pk, RowKey = WorkOrderRows.CounterKey, Value = wo.Number };
        actions.Add(counter is null
            ? new TableTransactionAction(TableTransactionActionType.Add, next)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, next, counter.ETag));
        // The tenant's first order (no counter yet, and the Add above fails if another came first): every order of
        // the tenant is written at the current projection from here on, so say so in the same transaction.
        if (counter is null) actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, ProjectionMarker(pk)));
        var header = Encode(pk, wo, [created.Entry]);
        actions.Add(new TableTransactionAction(TableTransactionActionType.Add, header));
        if (idempotencyKey is not null)
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new IndexRow { PartitionKey = pk, RowKey = WorkOrderRows.Idempotency(idempotencyKey), Ref = wo.Folio }));
        AddChildren(actions, pk, created);
        actions.AddRange(RowDiff.Actions([], WorkOrderRows.Project(pk, wo)));
        foreach (var writer in derivedWriters) actions.AddRange(await writer.ActionsAsync(tenant, null, wo, ct).ConfigureAwait(false));

        var result = await SubmitAsync(actions, header, ct).ConfigureAwait(false);
        if (result.Succeeded) return SaveOutcome.Saved;
        if (idempotencyKey is not null && await FindByIdempotencyKeyAsync(tenant, idempotencyKey, ct).ConfigureAwait(false) is not null)
            return SaveOutcome.Duplicate;
        return SaveOutcome.Retry;
    }

    /// <summary>Replaces the order if it still carries the ETag it was read with.</summary>
    public async Task<SaveOutcome> SaveAsync(TenantId tenant, LoadedWorkOrder before, WorkOrderChange change, CancellationToken ct)
    {
        var pk = tenant.Value;
        var wo = change.Order;
        var header = Encode(pk, wo, [.. before.History, .. change.Earlier, change.Entry]);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, header, before.ETag) };
        AddChildren(actions, pk, change);
        // Diff against the rows the order really has: those of the projection it was last written at.
        actions.AddRange(RowDiff.Actions(WorkOrderRows.Project(pk, before.Order, before.Projection), WorkOrderRows.Project(pk, wo)));
        foreach (var writer in derivedWriters) actions.AddRange(await writer.ActionsAsync(tenant, before.Order, wo, ct).ConfigureAwait(false));

        var result = await SubmitAsync(actions, header, ct).ConfigureAwait(false);
        if (result.Succeeded) return SaveOutcome.Saved;
        // Tell a lost race on the order itself (the caller's problem) from one on a shared summary row (ours).
        var current = await tables.FindAsync<TableEntity>(Table, pk, WorkOrderRows.Header(wo.Number), ct).ConfigureAwait(false);
        return current is null || current.ETag != before.ETag ? SaveOutcome.Conflict : SaveOutcome.Retry;
    }

    private static void AddChildren(List<TableTransactionAction> actions, string pk, WorkOrderChange change)
    {
        if (change.Note is { } note)
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add,
                RecordCodec.Encode(pk, WorkOrderRows.Note(change.Order.Number, note.Number), "note", note, MaintenanceJson.Default.WorkOrderNote)));
        // The activity feed: one event per history entry this change adds (append-only, keyed by revision).
        actions.AddRange(ActivityRows.ForWorkOrder(pk, change.Order, [.. change.Earlier, change.Entry], change.Note is { } n ? [n] : [])
            .Select(a => new TableTransactionAction(TableTransactionActionType.Add, a)));
    }

    private async Task<WriteResult> SubmitAsync(List<TableTransactionAction> actions, TableEntity header, CancellationToken ct)
    {
        // Bounded by construction (≤ 50 tasks' downtime, ≤ 32 terms, ~10 indexes, a few rollups); a breach is a bug.
        if (actions.Count > MaxBatch) throw new InvalidOperationException($"A work-order change needs {actions.Count} actions; a transaction holds {MaxBatch}.");
        // A lost answer is read back (LostAnswers). The order's row carries the whole new order and its history
        // (revision, time, user), so finding it exactly as written proves this transaction, indexes and all, was
        // stored. Calling it saved keeps a keyed retry from applying the change twice.
        return await tables.WriteAsync<TableEntity>(Table, header.PartitionKey, header.RowKey, () => tables.TrySubmitAsync(Table, actions, ct),
            stored => header.Where(p => p.Value is string && !p.Key.StartsWith("odata.", StringComparison.Ordinal)).All(p => stored.GetString(p.Key) == (string)p.Value),
            ct).ConfigureAwait(false);
    }
}
