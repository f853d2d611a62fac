using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Maintenance.Stores.Assets;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Search;

/// <summary>One term row (<c>x|t|{term}|{record}</c>) as the ranking reads it.</summary>
internal sealed record TermRow(string Key, string Ref, string Title, double Weight);

/// <summary>
/// This process's copy of the term index (<c>x|t|</c>) of the record kinds that are insert-only — assets, parts and
/// preventive plans — per tenant and table, kept for <see cref="AssetCatalogue.CacheFor"/>, so a warm search reads
/// storage only for work orders and requests (the kinds that change).
/// <para>
/// Why a copy is sound: a term row is a pure function of its record (<c>AssetRows</c>, <c>InventoryRows</c>,
/// <c>PlanRows</c>), and these records are never changed once created: no operation renames or edits an asset, a
/// part or a plan (stock levels and pending tasks, which do change, carry no terms). So a copied row is never a stale
/// version of itself; what a copy can miss is presence. An asset, part or plan created on another instance may be
/// missing from this instance's search for at most <see cref="AssetCatalogue.CacheFor"/> (<c>fetch</c> and the
/// get/list tools read storage and find it at once); this instance's own creations and demo loads drop its copy.
/// </para>
/// <para>
/// Tenant isolation: keyed by tenant and table, filled only from that tenant's partition. Bounded: a tenant's table
/// with more than <see cref="MaxRowsPerTable"/> term rows is not copied (searched in storage as before), and the
/// copies together hold at most <see cref="MaxCachedRows"/> rows.
/// </para>
/// </summary>
public sealed class TermIndexCopies(TableStore tables, TimeProvider time)
{
    internal const int MaxRowsPerTable = 20_000;
    internal const int MaxCachedRows = 100_000;
    private static readonly HashSet<string> InsertOnlyTables = new(StringComparer.Ordinal) { TableNames.Assets, TableNames.Inventory, TableNames.Plans };

    private readonly ProcessCopies<TermRows> _copies = new(time, AssetCatalogue.CacheFor, MaxCachedRows, rows => rows.Count);

    /// <summary>True for the tables whose searchable records are insert-only.</summary>
    internal static bool Covers(string table) => InsertOnlyTables.Contains(table);

    /// <summary>The tenant's term rows of <paramref name="table"/>; null when the table is not copied or too large to copy.</summary>
    internal Task<TermRows?> GetAsync(string table, string partition, CancellationToken ct) =>
        Covers(table) ? _copies.GetAsync(Key(table, partition), ct => ReadAsync(table, partition, ct), ct) : Task.FromResult<TermRows?>(null);

    /// <summary>Drops the tenant's copy of <paramref name="table"/>: this instance created records there.</summary>
    internal void Invalidate(TenantId tenant, string table) => _copies.Invalidate(Key(table, tenant.Value));

    private static string Key(string table, string partition) => $"{table}|{partition}";

    private async Task<TermRows?> ReadAsync(string table, string partition, CancellationToken ct)
    {
        var rows = await tables.ReadPrefixAsync<IndexRow>(table, partition, TermIndexReader.Prefix, MaxRowsPerTable + 1, ct).ConfigureAwait(false);
        return rows.Count > MaxRowsPerTable ? null : new TermRows(rows.Select(TermIndexReader.ToTermRow));
    }
}

/// <summary>Term rows in RowKey order (ordinal: terms and keys are ASCII, as Table Storage orders them).</summary>
internal sealed class TermRows
{
    private readonly TermRow[] _rows;

    public TermRows(IEnumerable<TermRow> rows)
    {
        _rows = rows.ToArray();
        Array.Sort(_rows, (a, b) => string.CompareOrdinal(a.Key, b.Key));
    }

    public int Count => _rows.Length;

    /// <summary>The first <paramref name="max"/> rows whose key starts with <paramref name="prefix"/>: what the range read would return.</summary>
    public IReadOnlyList<TermRow> StartingWith(string prefix, int max)
    {
        int low = 0, high = _rows.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (string.CompareOrdinal(_rows[middle].Key, prefix) < 0) low = middle + 1;
            else high = middle;
        }
        var found = new List<TermRow>();
        for (var i = low; i < _rows.Length && found.Count < max && _rows[i].Key.StartsWith(prefix, StringComparison.Ordinal); i++) found.Add(_rows[i]);
        return found;
    }
}
