using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Azure.Data.Tables;

namespace Fractal.Functions.Maintenance.Stores;

/// <summary>
/// A record row: the domain record as JSON in <c>Data</c> (and, for work orders, its history as JSON in
/// <c>History</c>), each column spilling into <c>Data1</c>, <c>Data2</c>... when it is longer than a Table
/// Storage string property may be (64 KiB of UTF-16), so a large record never fails to save (the entity
/// limit, 1 MiB, is the real cap). <c>SchemaVersion</c> and <c>Kind</c> are plain columns.
/// </summary>
internal static class RecordCodec
{
    private const int ChunkChars = 30_000;
    public const int SchemaVersion = 1;

    public static TableEntity Encode<T>(string partitionKey, string rowKey, string kind, T record, JsonTypeInfo<T> type, ETag etag = default)
    {
        var entity = new TableEntity(partitionKey, rowKey) { ETag = etag, ["SchemaVersion"] = SchemaVersion, ["Kind"] = kind };
        Put(entity, "Data", record, type);
        return entity;
    }

    public static T Decode<T>(TableEntity entity, JsonTypeInfo<T> type) =>
        Get(entity, "Data", type) ?? throw new InvalidDataException($"Row {entity.RowKey} has no Data.");

    public static void Put<T>(TableEntity entity, string column, T value, JsonTypeInfo<T> type)
    {
        var json = JsonSerializer.Serialize(value, type);
        for (int i = 0, chunk = 0; i < json.Length || chunk == 0; i += ChunkChars, chunk++)
            entity[chunk == 0 ? column : $"{column}{chunk}"] = json.Substring(i, Math.Min(ChunkChars, json.Length - i));
    }

    public static T? Get<T>(TableEntity entity, string column, JsonTypeInfo<T> type)
    {
        if (entity.GetString(column) is not { } json) return default;
        for (var chunk = 1; entity.TryGetValue($"{column}{chunk}", out var more) && more is string text; chunk++) json += text;
        return JsonSerializer.Deserialize(json, type);
    }
}
