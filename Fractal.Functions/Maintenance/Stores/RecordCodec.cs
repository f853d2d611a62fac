using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Azure.Data.Tables;

namespace Fractal.Functions.Maintenance.Stores;

/// <summary>
/// A record row: the domain record as JSON in <c>Data</c>, spilling into <c>Data1</c>, <c>Data2</c>... when it
/// is longer than a Table Storage string property may be (64 KiB of UTF-16), so a large work order never
/// fails to save. <c>SchemaVersion</c> and <c>Kind</c> are plain columns.
/// </summary>
internal static class RecordCodec
{
    private const int ChunkChars = 30_000;
    public const int SchemaVersion = 1;

    public static TableEntity Encode<T>(string partitionKey, string rowKey, string kind, T record, JsonTypeInfo<T> type, ETag etag = default)
    {
        var json = JsonSerializer.Serialize(record, type);
        var entity = new TableEntity(partitionKey, rowKey) { ETag = etag, ["SchemaVersion"] = SchemaVersion, ["Kind"] = kind };
        for (int i = 0, chunk = 0; i < json.Length || chunk == 0; i += ChunkChars, chunk++)
            entity[chunk == 0 ? "Data" : $"Data{chunk}"] = json.Substring(i, Math.Min(ChunkChars, json.Length - i));
        return entity;
    }

    public static T Decode<T>(TableEntity entity, JsonTypeInfo<T> type)
    {
        var json = entity.GetString("Data") ?? throw new InvalidDataException($"Row {entity.RowKey} has no Data.");
        for (var chunk = 1; entity.TryGetValue($"Data{chunk}", out var more) && more is string text; chunk++) json += text;
        return JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException($"Row {entity.RowKey} holds null.");
    }
}
