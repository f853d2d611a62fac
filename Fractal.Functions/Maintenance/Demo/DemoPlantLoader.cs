using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Kpis;
using Fractal.Functions.Maintenance.Search;
using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Maintenance.Stores.Activity;
using Fractal.Functions.Maintenance.Stores.Assets;
using Fractal.Functions.Maintenance.Stores.Inventory;
using Fractal.Functions.Maintenance.Stores.Meters;
using Fractal.Functions.Maintenance.Stores.Plans;
using Fractal.Functions.Maintenance.Stores.Requests;
using Fractal.Functions.Maintenance.Stores.WorkOrders;
using Fractal.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Maintenance.Demo;

/// <summary>What <see cref="DemoPlantLoader.LoadAsync"/> did.</summary>
public sealed record DemoLoadResult(bool AlreadyLoaded, int Rows, TimeSpan Elapsed);

/// <summary>
/// Loads the demo plant into a tenant (the <c>--seed-demo</c> start-up flag calls this), anchored on the plant's local
/// today by the clock (<see cref="TimeProvider"/>: the real one when seeding, a pinned one in tests), so its last day is
/// yesterday and "this week" has work in it. Idempotent per day: a marker row in <c>MntSettings</c> records the loaded
/// version and anchor, so a second call the same day returns at once; a call on a later day moves the demo to that day
/// (a reload: what was changed in the demo is replaced). The rows
/// are exactly those the stores would write (same projections), added in entity-group transactions of
/// up to 100 rows (and 3 MiB), several at a time. A tenant that holds maintenance data without the marker is refused, never
/// overwritten; a tenant with an older (or interrupted) demo load is cleared and loaded again. It writes through
/// the bulk-load store (<see cref="DependencyClientOptions.ForBulkLoads"/>), not the request path's fail-fast one.
/// </summary>
public sealed class DemoPlantLoader([FromKeyedServices(TableStore.BulkLoads)] TableStore tables, ITenantSettingsService settings, IPeopleService people,
    AssetCatalogue assetCatalogue, TermIndexCopies searchCopies, TimeProvider time, ILogger<DemoPlantLoader> log)
{
    public const string MarkerKey = "demo-plant";
    private const int Parallelism = 8;
    private const int BatchAttempts = 5;
    private static readonly string[] Tables = [TableNames.Assets, TableNames.WorkOrders, TableNames.Requests, TableNames.Meters, TableNames.Plans, TableNames.Inventory];

    /// <summary>The demo plant as of the clock's local today.</summary>
    public Task<DemoLoadResult> LoadAsync(TenantId tenant, CancellationToken cancellationToken) =>
        LoadAsync(tenant, DemoPlant.AnchorFor(time.GetUtcNow()), cancellationToken);

    /// <summary>The demo plant whose last day is the day before <paramref name="anchor"/> (benchmarks pin it to compare runs).</summary>
    public async Task<DemoLoadResult> LoadAsync(TenantId tenant, DateOnly anchor, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var pk = tenant.Value;
        var complete = Marker(anchor);
        var marker = await tables.FindAsync<IndexRow>(TableNames.MaintenanceSettings, pk, MarkerKey, cancellationToken).ConfigureAwait(false);
        if (marker?.Ref == complete) return new DemoLoadResult(true, 0, watch.Elapsed);
        if (marker is null && await tables.FindAsync<CounterRow>(TableNames.WorkOrders, pk, WorkOrderRows.CounterKey, cancellationToken).ConfigureAwait(false) is not null)
            throw new InvalidOperationException($"Tenant {pk} holds maintenance data that is not the demo plant; refusing to load the demo over it.");

        await tables.UpsertAsync(TableNames.MaintenanceSettings, new IndexRow { PartitionKey = pk, RowKey = MarkerKey, Ref = "loading-" + complete }, cancellationToken).ConfigureAwait(false);
        if (marker is not null) await ClearAsync(pk, cancellationToken).ConfigureAwait(false);

        var rows = Rows(pk, DemoGenerator.Generate(anchor));
        await settings.SaveAsync(tenant, DemoPlant.Settings, cancellationToken).ConfigureAwait(false);
        await people.SaveAsync(tenant, DemoPeople.All, cancellationToken).ConfigureAwait(false);
        var batches = rows.Where(t => t.Key != TableNames.MaintenanceSettings).SelectMany(t => BulkBatches.Chunk(t.Value).Select(chunk => (Table: t.Key, Rows: chunk))).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            // Upsert, not add: this loop sends a batch again when its answer failed or timed out, and a repeated add
            // of rows the first send did write would fail with a conflict; an upsert makes the repeat harmless.
            var actions = batch.Rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)).ToList();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var result = await tables.TrySubmitAsync(batch.Table, actions, ct).ConfigureAwait(false);
                    if (!result.Succeeded) throw new InvalidOperationException($"Loading the demo plant into {batch.Table} failed: {result.Status}.");
                    break;
                }
                catch (Exception e) when (attempt < BatchAttempts && StorageFaults.IsTransient(e, ct))
                {
                    // The only retry layer of a bulk load (its client has none, and waits up to 60 s per try): pause,
                    // longer each time, so a busy store is not sent more while it still works through the queue.
                    await Task.Delay(TimeSpan.FromSeconds(attempt), ct).ConfigureAwait(false);
                }
            }
        }).ConfigureAwait(false);

        await tables.UpsertAsync(TableNames.MaintenanceSettings, new IndexRow { PartitionKey = pk, RowKey = MarkerKey, Ref = complete }, cancellationToken).ConfigureAwait(false);
        // This instance's copies of the tenant's assets and insert-only search terms predate the load (or the clear).
        assetCatalogue.Invalidate(tenant);
        foreach (var table in Tables) searchCopies.Invalidate(tenant, table);
        var count = rows.Sum(t => t.Value.Count) + DemoPeople.All.Count;
        log.LogInformation("Loaded the demo plant into tenant {Tenant}: {Rows} rows in {Elapsed} ms", pk, count, watch.ElapsedMilliseconds);
        return new DemoLoadResult(false, count, watch.Elapsed);
    }

    /// <summary>What the marker row holds once a load is complete: the data's version and its anchor day.</summary>
    public static string Marker(DateOnly anchor) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{DemoPlant.Version}@{anchor:yyyy-MM-dd}");

    /// <summary>Every row of the demo plant, per table (all in the tenant's partition).</summary>
    internal static Dictionary<string, List<ITableEntity>> Rows(string pk, DemoDataset data)
    {
        var rows = Tables.ToDictionary(t => t, _ => new List<ITableEntity>());
        rows[TableNames.MaintenanceSettings] = [TenantSettingsService.Encode(pk, DemoPlant.Settings)];
        foreach (var asset in data.Assets) rows[TableNames.Assets].AddRange(AssetService.Rows(pk, asset));

        var orders = rows[TableNames.WorkOrders];
        orders.Add(new CounterRow { PartitionKey = pk, RowKey = WorkOrderRows.CounterKey, Value = data.WorkOrders.Max(w => w.Order.Number) });
        orders.Add(WorkOrderStore.ProjectionMarker(pk)); // every order below is written at the current projection
        foreach (var (order, history, notes) in data.WorkOrders)
        {
            orders.Add(WorkOrderStore.Encode(pk, order, history));
            orders.AddRange(notes.Select(n => RecordCodec.Encode(pk, WorkOrderRows.Note(order.Number, n.Number), "note", n, MaintenanceJson.Default.WorkOrderNote)));
            orders.AddRange(WorkOrderRows.Project(pk, order));
        }
        orders.AddRange(KpiRollups.Rows(pk, data.WorkOrders.Select(w => w.Order), DemoPlant.Settings));
        // The activity feed of the last DemoPeople.FeedWindow, as the stores write it with each change.
        var feedFrom = data.WorkOrders.Max(w => w.History[^1].At) - DemoPeople.FeedWindow;
        foreach (var (order, history, notes) in data.WorkOrders)
            orders.AddRange(ActivityRows.ForWorkOrder(pk, order, history.Where(h => h.At >= feedFrom), notes));

        var requests = rows[TableNames.Requests];
        requests.Add(new CounterRow { PartitionKey = pk, RowKey = RequestRows.CounterKey, Value = data.Requests.Max(r => r.Number) });
        foreach (var request in data.Requests) requests.AddRange([RequestRows.Encode(pk, request), .. RequestRows.Project(pk, request)]);
        var assets = data.Assets.ToDictionary(a => a.Id);
        foreach (var request in data.Requests.Where(r => r.CreatedAt >= feedFrom))
            requests.AddRange(ActivityRows.ForNewRequest(pk, request, request.AssetId is { } id ? assets[id].Path : null));

        foreach (var meter in data.Meters) rows[TableNames.Meters].AddRange(MeterService.Rows(pk, meter));
        rows[TableNames.Meters].AddRange(data.Readings.Select(r => MeterRows.Reading(pk, r)));
        var meters = data.Meters.ToDictionary(m => m.Id);
        foreach (var reading in data.Readings.Where(r => r.At >= feedFrom))
            rows[TableNames.Meters].AddRange(ActivityRows.ForReading(pk, meters[reading.MeterId], assets[meters[reading.MeterId].AssetId], reading));
        foreach (var plan in data.Plans) rows[TableNames.Plans].AddRange(PlanService.Rows(pk, plan));
        foreach (var task in data.PendingTasks) rows[TableNames.Plans].AddRange(PlanService.PendingRows(pk, task));

        var inventory = rows[TableNames.Inventory];
        inventory.AddRange(data.Warehouses.Select(w => InventoryRows.EncodeWarehouse(pk, w)));
        foreach (var part in data.Parts) inventory.AddRange(InventoryService.PartRows(pk, part));
        foreach (var stock in data.Stock) inventory.AddRange(InventoryService.StockRows(pk, stock));
        return rows;
    }

    /// <summary>Deletes every row of the tenant's partition in the maintenance tables (a reload of an older demo).</summary>
    private async Task ClearAsync(string pk, CancellationToken ct)
    {
        foreach (var table in Tables)
        {
            var client = await tables.GetTableAsync(table, ct).ConfigureAwait(false);
            var keys = new List<TableEntity>();
            await foreach (var row in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pk}"), select: ["PartitionKey", "RowKey"], cancellationToken: ct).ConfigureAwait(false))
                keys.Add(row);
            foreach (var chunk in keys.Chunk(100))
                await tables.TrySubmitAsync(table, chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, k, ETag.All)).ToList(), ct).ConfigureAwait(false);
        }
    }
}
