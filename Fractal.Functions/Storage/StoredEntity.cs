using Azure;
using Azure.Data.Tables;

namespace Fractal.Functions.Storage;

/// <summary>
/// Base of every row this app writes. <see cref="SchemaVersion"/> lets a later layout change recognise
/// and migrate old rows in place; each entity type sets its current version.
/// </summary>
public abstract class StoredEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>The layout version the row was written with.</summary>
    public int SchemaVersion { get; set; } = 1;
}
