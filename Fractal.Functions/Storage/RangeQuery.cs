using Azure.Data.Tables;

namespace Fractal.Functions.Storage;

/// <summary>A single-partition RowKey range: the only kind of list query a request path may run.</summary>
public sealed record RangeQuery(string Table, string PartitionKey, string RowKeyFrom, string RowKeyTo)
{
    /// <summary>Every row whose RowKey starts with <paramref name="prefix"/>.</summary>
    public static RangeQuery Prefix(string table, string partitionKey, string prefix) =>
        new(table, partitionKey, prefix, prefix + '\uffff');

    /// <summary>
    /// A further condition on the rows' own properties (OData, made with <see cref="TableClient.CreateQueryFilter(System.FormattableString)"/>),
    /// applied by the service, so rows it leaves out cost no page space.
    /// </summary>
    public string? Where { get; init; }

    internal string Filter => TableClient.CreateQueryFilter(
        $"PartitionKey eq {PartitionKey} and RowKey ge {RowKeyFrom} and RowKey lt {RowKeyTo}") + (Where is null ? "" : $" and ({Where})");

    /// <summary>What a cursor is bound to: it is valid for this exact range only (a continuation is a position in it, whatever <see cref="Where"/> keeps).</summary>
    internal string Scope => string.Join('\u001f', Table, PartitionKey, RowKeyFrom, RowKeyTo);
}

public sealed class InvalidCursorException() : Exception("The paging cursor is not valid for this query.");
