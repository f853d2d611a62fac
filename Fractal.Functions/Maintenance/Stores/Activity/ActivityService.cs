using System.Text.Json;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Activity;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores.Activity;

/// <summary>
/// <see cref="IActivityService"/>: one family of <see cref="ActivityRows"/> (the tenant's, an asset subtree's or a
/// person's), the same RowKey range in each source table, read concurrently and merged by key (the keys order events
/// newest first across tables). A person filter inside an asset range is applied by the service on the rows' columns.
/// The cursor is the last key shown, signed for this exact query (tenant, family, window, filter).
/// </summary>
internal sealed class ActivityService(TableStore tables, PageCursorCodec cursors) : IActivityService
{
    private static readonly (ActivitySources Source, string Table)[] Sources =
        [(ActivitySources.WorkOrders, TableNames.WorkOrders), (ActivitySources.Meters, TableNames.Meters), (ActivitySources.Requests, TableNames.Requests)];

    public async Task<DomainResult<Page<ActivityEvent>>> ReadAsync(TenantId tenant, ActivityQuery query, ActivitySources sources, PageRequest page, CancellationToken ct = default)
    {
        if (page.Size is < 1 or > PageRequest.MaxSize) return MaintenanceErrors.Invalid("pageSize", $"1 to {PageRequest.MaxSize}.");
        if (query.From is { } f && query.To is { } t && t <= f) return MaintenanceErrors.Invalid("to", "must be after from.");

        var prefix = query.AssetPath is { } path ? ActivityRows.AssetPrefix(path)
            : query.Person is { } who ? ActivityRows.PersonPrefix(who)
            : ActivityRows.All;
        string? where = null;
        if (query.AssetPath is not null && query.Person is { } person)
        {
            var key = Keys.Text(person);
            where = TableClient.CreateQueryFilter($"UserKey eq {key} or ResponsibleKey eq {key}");
        }
        // Newest first: the window's end (exclusive) is the range's start, its start the range's end.
        var from = query.To is { } to ? prefix + Bound(to) : prefix;
        var until = query.From is { } start ? prefix + Bound(start) : Keys.After(prefix);
        var scope = string.Join('\u001f', "activity", tenant.Value, from, until, where ?? "");
        if (!string.IsNullOrEmpty(page.Cursor))
        {
            // Every key after the prefix is built from [0-9a-z.|~@_-] and upper-case codes, all above '!': "last key + !"
            // is the first key after the last one shown.
            if (await cursors.TryDecodeAsync(scope, page.Cursor, ct).ConfigureAwait(false) is not { } last) return MaintenanceErrors.InvalidCursor();
            from = prefix + last + "!";
        }

        var reads = Sources.Where(s => sources.HasFlag(s.Source))
            .Select(s => tables.ReadRangeAsync<ActivityRow>(s.Table, tenant.Value, from, until, page.Size + 1, ct, where)).ToList();
        var rows = (await Task.WhenAll(reads).ConfigureAwait(false)).SelectMany(r => r).OrderBy(r => r.RowKey, StringComparer.Ordinal).ToList();
        var shown = rows.Take(page.Size).ToList();
        var next = rows.Count > page.Size ? await cursors.EncodeAsync(scope, shown[^1].RowKey[prefix.Length..], ct).ConfigureAwait(false) : null;
        return new Page<ActivityEvent>(shown.Select(r => JsonSerializer.Deserialize(r.Data, MaintenanceJson.Default.ActivityEvent)!).ToList(), next);
    }

    /// <summary>
    /// The first key of the events before <paramref name="instant"/>: their inverted ticks are at least those of the tick
    /// before it. As a range's end it keeps every event at or after <paramref name="instant"/>.
    /// </summary>
    private static string Bound(DateTimeOffset instant) => ActivityRows.Time(instant.AddTicks(-1));
}
