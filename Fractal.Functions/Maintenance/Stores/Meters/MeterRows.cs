using System.Text.Json;
using Fractal.Functions.Maintenance.Domain.Meters;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores.Meters;

/// <summary>One reading: <c>rd|{meter}|{time}</c> in the meter table.</summary>
public sealed class ReadingRow : StoredEntity
{
    public double Value { get; set; }
    public DateTimeOffset At { get; set; }
    public string UserId { get; set; } = "";
}

/// <summary>RowKeys of the meter table (one partition per tenant) and a meter's derived rows.</summary>
internal static class MeterRows
{
    public const string ByAsset = "x|as|", All = "x|al|";

    /// <summary>The meter itself; it is also an <see cref="IndexRow"/> whose Data is the meter (its ETag guards readings).</summary>
    public static string Record(string id) => "me|" + id;
    public static string ReadingPrefix(string meterId) => $"rd|{meterId}|";

    public static IndexRow Encode(string partition, Meter meter) =>
        new() { PartitionKey = partition, RowKey = Record(meter.Id), Ref = meter.Id, Data = JsonSerializer.Serialize(meter, MaintenanceJson.Default.Meter) };

    public static List<IndexRow> Project(string partition, Meter meter)
    {
        var data = JsonSerializer.Serialize(meter, MaintenanceJson.Default.Meter);
        return
        [
            new() { PartitionKey = partition, RowKey = $"{All}{meter.Id}", Ref = meter.Id, Data = data },
            new() { PartitionKey = partition, RowKey = $"{ByAsset}{meter.AssetId}|{meter.Id}", Ref = meter.Id, Data = data },
        ];
    }

    public static ReadingRow Reading(string partition, MeterReading reading) => new()
    {
        PartitionKey = partition, RowKey = ReadingPrefix(reading.MeterId) + Keys.Time(reading.At),
        Value = reading.Value, At = reading.At, UserId = reading.UserId,
    };
}
