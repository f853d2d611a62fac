using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fractal.Functions.Audit;

/// <summary>
/// Deferred audit entries (successful reads) are stored several to a row: a <em>bundle</em> row holds the
/// entries of one tenant from one deferred write, newest first, as a JSON array in <see cref="AuditEntity.Entries"/>,
/// and takes the RowKey of its newest entry. Readers expand it back into one entry per call
/// (<see cref="AuditQuery"/>), so the Transactions log, its filters, the API and the CSV show what they showed before.
/// <para>Why not one row per read call: the log is one partition per tenant, and Azure Table Storage targets about
/// 2,000 entities per second per partition ("Scalability and performance targets for Table storage"), so a row per
/// call would cap one tenant's audited calls there whatever the number of instances; and each row is its own
/// sub-request of the batch transaction (built, signed, parsed: 15–23 µs and ~20 KB per row in process, more than
/// the whole per-request MCP server; docs/performance.md). A bundle of ~30 entries costs about one row.</para>
/// <para>Order: a bundle sorts at its newest entry, so among the rows written directly (writes, refusals, failures)
/// its older entries can appear up to <see cref="MaxSpan"/> early (in practice one deferral interval,
/// <see cref="DeferredAuditWriter.Interval"/>).</para>
/// </summary>
public static class AuditBundles
{
    public const string Event = "bundle";

    // Relaxed escaping keeps accented text one character per character (the size limit counts characters); the
    // value is stored as a string property, and every page that shows an entry HTML-encodes its fields.
    private static readonly BundleJson Json = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>
    /// A bundle's JSON stays under this many characters: a quarter of Table Storage's 64 KiB (32K UTF-16 characters)
    /// per string property, so that a batch of <see cref="RowsPerBatch"/> bundles stays far under the transaction's
    /// 4 MiB payload whatever the entries' text.
    /// </summary>
    public const int MaxChars = 8_000;

    /// <summary>
    /// The newest and oldest entry of a bundle are at most this far apart. A bundle sorts at its newest entry, so a
    /// reader of a period must also read the rows up to this much after its end (<see cref="AuditQuery"/>); and this
    /// bounds how early an older entry of a bundle can show beside single rows.
    /// </summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromSeconds(1);

    /// <summary>Bundles per entity group transaction (the service allows 100 rows and 4 MiB).</summary>
    public const int RowsPerBatch = 50;

    /// <summary>The rows to store for one tenant's deferred entries: bundles, newest entries first.</summary>
    public static IEnumerable<AuditEntity> Pack(IEnumerable<AuditEntity> entries)
    {
        var bundle = new List<(AuditEntity Entry, string Text)>();
        var chars = 2; // the array's brackets
        foreach (var entry in entries.OrderBy(e => e.RowKey, StringComparer.Ordinal)) // keys are inverted time: newest first
        {
            var json = JsonSerializer.Serialize(BundledEntry.Of(entry), Json.BundledEntry);
            if (json.Length + 1 > MaxChars - 2)
            {
                yield return entry; // too large to share a row (cannot happen with today's field limits): stored alone
                continue;
            }
            if (chars + json.Length + 1 > MaxChars || (bundle.Count > 0 && bundle[0].Entry.At - entry.At > MaxSpan))
            {
                yield return Bundle(bundle);
                bundle.Clear();
                chars = 2;
            }
            bundle.Add((entry, json));
            chars += json.Length + 1;
        }
        if (bundle.Count > 0) yield return Bundle(bundle);
    }

    /// <summary>The entries a stored row holds: itself, or the entries of a bundle, newest first.</summary>
    public static IReadOnlyList<AuditEntity> Expand(AuditEntity row)
    {
        if (row.Entries is null) return [row];
        var entries = JsonSerializer.Deserialize(row.Entries, Json.BundledEntryArray) ?? [];
        return entries.Select(e => e.ToEntity(row)).ToList();
    }

    /// <summary>How many entries the stored rows hold (a bundle counts its entries).</summary>
    public static int CountEntries(IEnumerable<AuditEntity> rows) => rows.Sum(row => Expand(row).Count);

    private static AuditEntity Bundle(List<(AuditEntity Entry, string Text)> entries)
    {
        if (entries.Count == 1) return entries[0].Entry;
        var newest = entries[0].Entry;
        return new AuditEntity
        {
            PartitionKey = newest.PartitionKey,
            RowKey = newest.RowKey, // sorts where its newest entry would, and is unique like it
            At = newest.At,
            Event = Event,
            Outcome = nameof(AuditOutcome.Success),
            Detail = $"{entries.Count} entries",
            Entries = "[" + string.Join(',', entries.Select(e => e.Text)) + "]",
        };
    }

    /// <summary>One entry inside a bundle: the fields of <see cref="AuditEntity"/>, under short names.</summary>
    internal sealed record BundledEntry(
        [property: JsonPropertyName("at")] DateTimeOffset At,
        [property: JsonPropertyName("ev")] string Event,
        [property: JsonPropertyName("oc")] string Outcome,
        [property: JsonPropertyName("u")] string? UserId,
        [property: JsonPropertyName("c")] string? ClientId,
        [property: JsonPropertyName("d")] string? Detail,
        [property: JsonPropertyName("ip")] string? ClientIp,
        [property: JsonPropertyName("t")] string? Tool,
        [property: JsonPropertyName("ms")] int? DurationMs)
    {
        public static BundledEntry Of(AuditEntity e) => new(e.At, e.Event, e.Outcome, e.UserId, e.ClientId, e.Detail, e.ClientIp, e.Tool, e.DurationMs);

        public AuditEntity ToEntity(AuditEntity bundle) => new()
        {
            PartitionKey = bundle.PartitionKey,
            RowKey = bundle.RowKey,
            At = At, Event = Event, Outcome = Outcome, UserId = UserId, ClientId = ClientId, Detail = Detail,
            ClientIp = ClientIp, Tool = Tool, DurationMs = DurationMs,
        };
    }
}

[JsonSerializable(typeof(AuditBundles.BundledEntry))]
[JsonSerializable(typeof(AuditBundles.BundledEntry[]))]
internal sealed partial class BundleJson : JsonSerializerContext;
