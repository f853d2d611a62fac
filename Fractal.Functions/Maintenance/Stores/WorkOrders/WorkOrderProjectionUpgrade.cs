using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores.WorkOrders;

/// <summary>
/// Brings every work order of a tenant to the current projection (<see cref="WorkOrderRows.ProjectionVersion"/>),
/// then writes the tenant's marker, after which readers rely on the newer derived rows
/// (<c>manage upgrade-work-orders</c>). Each order is rewritten as it is, in its own transaction guarded by its ETag:
/// its row with the new version and the derived rows the newer projection adds. An order changed meanwhile was
/// written at the current projection by that change and needs nothing; one created meanwhile too. Safe to run
/// again, and safe beside a running app of this version (not beside an older one, which writes older rows).
/// </summary>
internal sealed class WorkOrderProjectionUpgrade(TableStore tables, WorkOrderStore store)
{
    private const string Table = TableNames.WorkOrders;
    private const int MaxAttempts = 5;

    /// <summary>The number of orders rewritten.</summary>
    public async Task<int> RunAsync(TenantId tenant, CancellationToken ct = default)
    {
        var pk = tenant.Value;
        var client = await tables.GetTableAsync(Table, ct).ConfigureAwait(false);
        var filter = RangeQuery.Prefix(Table, pk, WorkOrderRows.HeaderPrefix).Filter;
        var older = new List<long>();
        await foreach (var row in client.QueryAsync<TableEntity>(filter, select: ["RowKey", WorkOrderRows.ProjectionColumn], cancellationToken: ct).ConfigureAwait(false))
        {
            if ((row.GetInt32(WorkOrderRows.ProjectionColumn) ?? 1) < WorkOrderRows.ProjectionVersion)
                older.Add(Keys.FromInverted(row.RowKey[WorkOrderRows.HeaderPrefix.Length..]));
        }
        var rewritten = 0;
        foreach (var number in older)
        {
            if (await RewriteAsync(pk, tenant, number, ct).ConfigureAwait(false)) rewritten++;
        }
        await tables.UpsertAsync(Table, WorkOrderStore.ProjectionMarker(pk), ct).ConfigureAwait(false);
        return rewritten;
    }

    private async Task<bool> RewriteAsync(string pk, TenantId tenant, long number, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var loaded = await store.LoadAsync(tenant, number, ct).ConfigureAwait(false);
            if (loaded is null || loaded.Projection >= WorkOrderRows.ProjectionVersion) return false;
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.UpdateReplace, WorkOrderStore.Encode(pk, loaded.Order, loaded.History), loaded.ETag),
            };
            actions.AddRange(RowDiff.Actions(WorkOrderRows.Project(pk, loaded.Order, loaded.Projection), WorkOrderRows.Project(pk, loaded.Order)));
            var result = await tables.TrySubmitAsync(Table, actions, ct).ConfigureAwait(false);
            if (result.Succeeded) return true;
            // Changed since it was read (412): read it again; the change most likely rewrote it already.
            if (attempt == MaxAttempts) throw new InvalidOperationException($"Work order {number} of tenant {pk} could not be rewritten: {result.Status}.");
        }
    }
}
