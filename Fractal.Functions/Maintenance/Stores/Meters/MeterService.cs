using System.Text.Json;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Meters;
using Fractal.Functions.Maintenance.Stores.Activity;
using Fractal.Functions.Maintenance.Stores.Assets;
using Fractal.Functions.Maintenance.Stores.Plans;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores.Meters;

/// <summary>
/// <see cref="IMeterService"/>: a reading is appended in one transaction with the meter's new statistics
/// (guarded by the meter's ETag, so two readings cannot both think they are the latest).
/// </summary>
internal sealed class MeterService(TableStore tables, PagedReader reader, FilteredPager pager, AssetService assets, PlanService plans, TimeProvider time) : IMeterService
{
    private const string Table = TableNames.Meters;

    public async Task<DomainResult<Meter>> GetAsync(TenantId tenant, string meterId, CancellationToken ct = default) =>
        await LoadAsync(tenant, meterId, ct).ConfigureAwait(false) is { } row ? Decode(row) : MaintenanceErrors.NotFound("meter", meterId);

    public Task<DomainResult<Page<Meter>>> ListAsync(TenantId tenant, string? assetId, PageRequest page, CancellationToken ct = default)
    {
        var prefix = assetId is null ? MeterRows.All : $"{MeterRows.ByAsset}{assetId.Trim().ToUpperInvariant()}|";
        return pager.ReadAsync(RangeQuery.Prefix(Table, tenant.Value, prefix), page, Decode, _ => true, ct);
    }

    public async Task<DomainResult<Page<MeterReading>>> ReadingsAsync(TenantId tenant, string meterId, DateTimeOffset? from, DateTimeOffset? to, PageRequest page, CancellationToken ct = default)
    {
        if (page.Size is < 1 or > PageRequest.MaxSize) return MaintenanceErrors.Invalid("pageSize", $"1 to {PageRequest.MaxSize}.");
        if (await LoadAsync(tenant, meterId, ct).ConfigureAwait(false) is not { } row) return MaintenanceErrors.NotFound("meter", meterId);
        var prefix = MeterRows.ReadingPrefix(row.Ref);
        var query = new RangeQuery(Table, tenant.Value, from is { } f ? prefix + Keys.Time(f) : prefix, to is { } t ? prefix + Keys.Time(t) : Keys.After(prefix));
        try
        {
            var read = await reader.ReadPageAsync<ReadingRow>(query, page.Size, page.Cursor, ct).ConfigureAwait(false);
            return new Page<MeterReading>(read.Items.Select(r => new MeterReading(row.Ref, r.At, Meter.Round(r.Value), r.UserId)).ToList(), read.NextCursor);
        }
        catch (InvalidCursorException)
        {
            return MaintenanceErrors.InvalidCursor();
        }
    }

    public async Task<DomainResult<ReadingRecorded>> RecordReadingAsync(TenantId tenant, string meterId, double value, string userId, DateTimeOffset? at = null, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var when = at ?? now;
        if (when > now) return MaintenanceErrors.Invalid("at", "a reading cannot be in the future.");
        if (await LoadAsync(tenant, meterId, ct).ConfigureAwait(false) is not { } row) return MaintenanceErrors.NotFound("meter", meterId);
        var before = Decode(row);
        var after = before.Apply(value, when);
        if (!after.IsSuccess) return after.Error;
        value = after.Value.LastValue!.Value; // at the meter's precision, as stored

        var pk = tenant.Value;
        var reading = new MeterReading(before.Id, when, value, userId);
        var asset = await assets.FindAsync(tenant, before.AssetId, ct).ConfigureAwait(false); // the asset catalogue: no read when warm
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, MeterRows.Encode(pk, after.Value), row.ETag),
            new(TableTransactionActionType.Add, MeterRows.Reading(pk, reading)),
        };
        actions.AddRange(RowDiff.Actions(MeterRows.Project(pk, before), MeterRows.Project(pk, after.Value)));
        // The activity feed's event, in the same transaction as the reading.
        actions.AddRange(ActivityRows.ForReading(pk, before, asset, reading).Select(a => new TableTransactionAction(TableTransactionActionType.Add, a)));
        if (!(await tables.TrySubmitAsync(Table, actions, ct).ConfigureAwait(false)).Succeeded) return MaintenanceErrors.Conflict("meter", before.Id);

        // The plans live in another partition: the reading stands even if a trigger update has to be retried.
        var triggered = await plans.TriggerByMeterAsync(tenant, before.Id, value, when, ct).ConfigureAwait(false);
        return new ReadingRecorded(after.Value, triggered);
    }

    public async Task<DomainResult<Meter>> CreateAsync(TenantId tenant, Meter meter, CancellationToken ct = default)
    {
        var id = meter.Id.Trim().ToUpperInvariant();
        if (!Asset.IsValidCode(id)) return MaintenanceErrors.Invalid("id", "1-32 upper-case letters, digits and dashes.");
        if (string.IsNullOrWhiteSpace(meter.Name)) return MaintenanceErrors.Invalid("name", "must not be empty.");
        if (await assets.FindAsync(tenant, meter.AssetId, ct).ConfigureAwait(false) is not { } asset) return MaintenanceErrors.NotFound("asset", meter.AssetId);
        var created = meter with { Id = id, AssetId = asset.Id };
        var actions = Rows(tenant.Value, created).Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)).ToList();
        return (await tables.TrySubmitAsync(Table, actions, ct).ConfigureAwait(false)).Succeeded ? created : MaintenanceErrors.AlreadyExists("meter", id);
    }

    internal static IEnumerable<ITableEntity> Rows(string partition, Meter meter) => [MeterRows.Encode(partition, meter), .. MeterRows.Project(partition, meter)];

    private Task<IndexRow?> LoadAsync(TenantId tenant, string meterId, CancellationToken ct)
    {
        var id = meterId.Trim().ToUpperInvariant();
        return Asset.IsValidCode(id) ? tables.FindAsync<IndexRow>(Table, tenant.Value, MeterRows.Record(id), ct) : Task.FromResult<IndexRow?>(null);
    }

    private static Meter Decode(IndexRow row) => JsonSerializer.Deserialize(row.Data!, MaintenanceJson.Default.Meter)!.Rounded();
}
