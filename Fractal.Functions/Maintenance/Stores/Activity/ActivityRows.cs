using System.Globalization;
using System.Text.Json;
using Fractal.Functions.Maintenance.Domain.Activity;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Meters;
using Fractal.Functions.Maintenance.Domain.Requests;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores.Activity;

/// <summary>
/// An activity-feed row: one event under one of its keys (<see cref="ActivityRows"/>). <see cref="UserKey"/> and
/// <see cref="ResponsibleKey"/> (escaped, lower case) let a person filter apply inside an asset range on the service.
/// </summary>
public sealed class ActivityRow : StoredEntity
{
    public string Data { get; set; } = "";
    public string UserKey { get; set; } = "";
    public string? ResponsibleKey { get; set; }
}

/// <summary>
/// The activity feed's rows, written in the same entity-group transaction as the change they record, in the table of
/// that change (work orders, meters, requests: one family, the same keys in each). Each event has one row per way of
/// finding it, all ending in <c>{inverted ticks}|{event id}</c> so every family lists newest first and a time window is
/// a RowKey range:
/// <list type="bullet">
/// <item><c>ac|al|…</c>: every event of the tenant;</item>
/// <item><c>ac|as|{path}|…</c>: one per asset from the event's own up to the site (≤ 4), so a location's events are one
/// prefix in time order;</item>
/// <item><c>ac|by|{person}|…</c>: who did it, and the work order's responsible person when that is someone else.</item>
/// </list>
/// Event ids are unique across the three tables (<c>wo-…</c>, <c>rd-…</c>, <c>sr-…</c>), so the three ranges merge
/// into one order.
/// </summary>
internal static class ActivityRows
{
    public const string All = "ac|al|", ByAsset = "ac|as|", ByPerson = "ac|by|";

    public static string AssetPrefix(string path) => ByAsset + path + "|";
    public static string PersonPrefix(string person) => ByPerson + Keys.Text(person) + "|";

    /// <summary>Fixed width, descending: the newest instant first (ticks, so events a second apart keep their order).</summary>
    public static string Time(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The events of a work-order change: one per history entry it adds (a note entry's text from <paramref name="notes"/>).</summary>
    public static List<ActivityRow> ForWorkOrder(string partition, WorkOrder order, IEnumerable<HistoryEntry> entries, IReadOnlyCollection<WorkOrderNote> notes)
    {
        var rows = new List<ActivityRow>();
        foreach (var entry in entries)
        {
            var text = entry.Action switch
            {
                "created" => order.Title,
                "note" => notes.FirstOrDefault(n => entry.Detail == $"note {n.Number}")?.Text ?? entry.Detail ?? "note",
                "task_completed" => TaskText(order, entry.Detail),
                _ => entry.Detail ?? entry.Action,
            };
            var e = new ActivityEvent(entry.At, entry.Action, order.Folio, entry.UserId, ActivityEvent.Cut(text), order.AssetId, order.AssetName,
                order.AssetPath, order.Responsible, entry.From?.Code(), entry.To?.Code());
            // The inverted revision: entries of one instant (one change, or a clock that stands still) list newest first too.
            rows.AddRange(Rows(partition, e, $"wo-{Keys.Number(order.Number)}-{Keys.Inverted(entry.Revision)}"));
        }
        return rows;
    }

    public static List<ActivityRow> ForReading(string partition, Meter meter, Asset? asset, MeterReading reading) =>
        Rows(partition, new ActivityEvent(reading.At, ActivityEvent.MeterReading, meter.Id, reading.UserId,
                $"{meter.Name}: {reading.Value.ToString("0.###", CultureInfo.InvariantCulture)} {meter.Unit}", meter.AssetId, asset?.Name, asset?.Path),
            $"rd-{meter.Id}-{Keys.Time(reading.At)}");

    public static List<ActivityRow> ForNewRequest(string partition, ServiceRequest request, string? assetPath) =>
        Rows(partition, new ActivityEvent(request.CreatedAt, ActivityEvent.RequestCreated, request.Id, request.Requester,
                ActivityEvent.Cut((request.Urgent ? "urgent: " : "") + request.Title), request.AssetId, request.AssetName, assetPath),
            $"sr-{Keys.Number(request.Number)}");

    private static List<ActivityRow> Rows(string partition, ActivityEvent e, string id)
    {
        var suffix = Time(e.At) + "|" + id;
        var data = JsonSerializer.Serialize(e, MaintenanceJson.Default.ActivityEvent);
        var userKey = Keys.Text(e.UserId);
        var responsibleKey = e.Responsible is null ? null : Keys.Text(e.Responsible);
        var keys = new List<string> { All + suffix };
        if (e.AssetPath is { } path) keys.AddRange(Asset.PathsUpTo(path).Select(p => AssetPrefix(p) + suffix));
        keys.Add(ByPerson + userKey + "|" + suffix);
        if (responsibleKey is not null && responsibleKey != userKey) keys.Add(ByPerson + responsibleKey + "|" + suffix);
        return keys.Select(k => new ActivityRow { PartitionKey = partition, RowKey = k, Data = data, UserKey = userKey, ResponsibleKey = responsibleKey }).ToList();
    }

    private static string TaskText(WorkOrder order, string? detail) =>
        detail is not null && detail.StartsWith("task ", StringComparison.Ordinal)
        && int.TryParse(detail.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
        && order.Tasks.FirstOrDefault(t => t.Id == id) is { } task
            ? $"task {id}: {task.Description}"
            : detail ?? "task completed";
}
