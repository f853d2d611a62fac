using System.Text.Json;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Requests;
using Fractal.Functions.Maintenance.Stores.Activity;
using Fractal.Functions.Maintenance.Stores.Assets;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores.Requests;

/// <summary><see cref="IRequestService"/> on the request table: numbered like work orders, edited under ETags.</summary>
internal sealed class RequestService(TableStore tables, AssetService assets, FilteredPager pager, TimeProvider time) : IRequestService
{
    private const string Table = TableNames.Requests;
    private const int MaxAttempts = 10;

    public async Task<DomainResult<ServiceRequest>> GetAsync(TenantId tenant, string id, CancellationToken ct = default) =>
        await LoadAsync(tenant, id, ct).ConfigureAwait(false) is { } loaded ? loaded.Request : MaintenanceErrors.NotFound("request", id);

    public Task<DomainResult<Page<RequestSummary>>> ListAsync(TenantId tenant, RequestQuery query, PageRequest page, CancellationToken ct = default)
    {
        var range = query.Status is { } s
            ? RangeQuery.Prefix(Table, tenant.Value, $"{RequestRows.ByStatus}{(int)s}|")
            : RangeQuery.Prefix(Table, tenant.Value, RequestRows.All);
        return pager.ReadAsync(range, page, row => JsonSerializer.Deserialize(row.Data!, MaintenanceJson.Default.RequestSummary)!,
            r => (query.Status is null || r.Status == query.Status) && (query.Urgent is null || r.Urgent == query.Urgent), ct);
    }

    public async Task<DomainResult<ServiceRequest>> CreateAsync(TenantId tenant, NewServiceRequest request, string? idempotencyKey = null, CancellationToken ct = default)
    {
        if (idempotencyKey is { Length: 0 or > 200 }) return MaintenanceErrors.Invalid("idempotencyKey", "1 to 200 characters.");
        if (idempotencyKey is not null && await ExistingAsync(tenant, idempotencyKey, ct).ConfigureAwait(false) is { } earlier) return earlier;
        string? assetName = null, assetPath = null;
        if (request.AssetId is { } assetId)
        {
            if (await assets.FindAsync(tenant, assetId, ct).ConfigureAwait(false) is not { } asset) return MaintenanceErrors.NotFound("asset", assetId);
            (request, assetName, assetPath) = (request with { AssetId = asset.Id }, asset.Name, asset.Path);
        }
        var pk = tenant.Value;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var counter = await tables.FindAsync<CounterRow>(Table, pk, RequestRows.CounterKey, ct).ConfigureAwait(false);
            var created = RequestRules.Create((counter?.Value ?? 0) + 1, request, assetName, time.GetUtcNow());
            if (!created.IsSuccess) return created.Error;
            var r = created.Value;
            var next = new CounterRow { PartitionKey = pk, RowKey = RequestRows.CounterKey, Value = r.Number };
            var actions = new List<TableTransactionAction>
            {
                counter is null ? new(TableTransactionActionType.Add, next) : new(TableTransactionActionType.UpdateReplace, next, counter.ETag),
                new(TableTransactionActionType.Add, RequestRows.Encode(pk, r)),
            };
            if (idempotencyKey is not null)
                actions.Add(new(TableTransactionActionType.Add, new IndexRow { PartitionKey = pk, RowKey = RequestRows.Idempotency(idempotencyKey), Ref = r.Id }));
            actions.AddRange(RowDiff.Actions([], RequestRows.Project(pk, r)));
            // The activity feed's "new request" event, in the same transaction as the request.
            actions.AddRange(ActivityRows.ForNewRequest(pk, r, assetPath).Select(a => new TableTransactionAction(TableTransactionActionType.Add, a)));
            if ((await tables.TrySubmitAsync(Table, actions, ct).ConfigureAwait(false)).Succeeded) return r;
            if (idempotencyKey is not null && await ExistingAsync(tenant, idempotencyKey, ct).ConfigureAwait(false) is { } raced) return raced;
            await Task.Delay(Random.Shared.Next(5, 20 * (attempt + 1)), ct).ConfigureAwait(false);
        }
        return MaintenanceErrors.Busy("the request counter");
    }

    public async Task<DomainResult<ServiceRequest>> TransitionAsync(TenantId tenant, RequestEdit edit, RequestStatus to, string? reason = null, string? workOrderFolio = null, CancellationToken ct = default)
    {
        if (await LoadAsync(tenant, edit.Id, ct).ConfigureAwait(false) is not { } loaded) return MaintenanceErrors.NotFound("request", edit.Id);
        if (edit.ExpectedRevision is { } expected && expected != loaded.Request.Revision) return MaintenanceErrors.Conflict("request", loaded.Request.Id);
        var changed = RequestRules.Transition(loaded.Request, to, edit.UserId, time.GetUtcNow(), reason, workOrderFolio);
        if (!changed.IsSuccess) return changed.Error;
        var pk = tenant.Value;
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, RequestRows.Encode(pk, changed.Value), loaded.Entity.ETag) };
        actions.AddRange(RowDiff.Actions(RequestRows.Project(pk, loaded.Request), RequestRows.Project(pk, changed.Value)));
        var result = await tables.TrySubmitAsync(Table, actions, ct).ConfigureAwait(false);
        return result.Succeeded ? changed.Value : MaintenanceErrors.Conflict("request", loaded.Request.Id);
    }

    private async Task<(ServiceRequest Request, TableEntity Entity)?> LoadAsync(TenantId tenant, string id, CancellationToken ct)
    {
        if (!ServiceRequest.TryParseId(id, out var n)) return null;
        var row = await tables.FindAsync<TableEntity>(Table, tenant.Value, RequestRows.Record(n), ct).ConfigureAwait(false);
        return row is null ? null : (RecordCodec.Decode(row, MaintenanceJson.Default.ServiceRequest), row);
    }

    private async Task<ServiceRequest?> ExistingAsync(TenantId tenant, string key, CancellationToken ct)
    {
        var row = await tables.FindAsync<IndexRow>(Table, tenant.Value, RequestRows.Idempotency(key), ct).ConfigureAwait(false);
        return row is null ? null : (await LoadAsync(tenant, row.Ref, ct).ConfigureAwait(false))?.Request;
    }
}
