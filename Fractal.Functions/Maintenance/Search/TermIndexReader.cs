using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Search;

internal sealed record ScoredRef(string Ref, string Title, double Score);

/// <summary>
/// Reads a kind's term rows (<c>x|t|{term}|{record}</c>) for each query term and ranks the records.
/// Ranking: for each query term, a record's best match is the weight of its field holding a term equal to
/// the query term (×1), or, for query terms of 3+ characters, starting with it (×0.5); the score is the sum
/// of best matches times the share of query terms matched (a record matching every word outranks one
/// matching some). Each query term reads one RowKey range of at most <see cref="MaxRowsPerTerm"/> rows: from storage,
/// or for the insert-only kinds (assets, parts, plans) from this instance's copy of the index (<see cref="TermIndexCopies"/>).
/// </summary>
internal sealed class TermIndexReader(TableStore tables, TermIndexCopies copies)
{
    public const string Prefix = "x|t|";
    public const int MaxRowsPerTerm = 500;
    public const int MaxQueryTerms = 8;
    public const double PrefixFactor = 0.5;

    public async Task<IReadOnlyList<ScoredRef>> ScoreAsync(string table, string partition, IReadOnlyList<string> queryTerms, CancellationToken ct)
    {
        // Each query term selects the keys starting with x|t|{term} (3+ characters: any term it begins) or x|t|{term}|.
        var prefixes = queryTerms.Select(q => q.Length >= 3 ? Prefix + q : $"{Prefix}{q}|").ToList();
        IReadOnlyList<TermRow>[] results;
        if (await copies.GetAsync(table, partition, ct).ConfigureAwait(false) is { } copy)
            results = prefixes.Select(p => copy.StartingWith(p, MaxRowsPerTerm)).ToArray();
        else
            results = await Task.WhenAll(prefixes.Select(async p =>
                (IReadOnlyList<TermRow>)(await tables.ReadPrefixAsync<IndexRow>(table, partition, p, MaxRowsPerTerm, ct).ConfigureAwait(false)).Select(ToTermRow).ToList())).ConfigureAwait(false);

        var best = new Dictionary<string, (double[] PerTerm, string Title)>(StringComparer.Ordinal);
        for (var i = 0; i < queryTerms.Count; i++)
        {
            foreach (var row in results[i])
            {
                var term = row.Key[Prefix.Length..row.Key.IndexOf('|', Prefix.Length)];
                var score = row.Weight * (term == queryTerms[i] ? 1.0 : PrefixFactor);
                if (!best.TryGetValue(row.Ref, out var entry)) best[row.Ref] = entry = (new double[queryTerms.Count], row.Title);
                entry.PerTerm[i] = Math.Max(entry.PerTerm[i], score);
            }
        }
        return best.Select(b =>
            {
                var matched = b.Value.PerTerm.Count(s => s > 0);
                return new ScoredRef(b.Key, b.Value.Title, b.Value.PerTerm.Sum() * matched / queryTerms.Count);
            })
            .OrderByDescending(r => r.Score).ThenBy(r => r.Ref, StringComparer.Ordinal).ToList();
    }

    internal static TermRow ToTermRow(IndexRow row) => new(row.RowKey, row.Ref, row.Data ?? row.Ref, row.Weight);

    /// <summary>The distinct normalised terms of a query, at most <see cref="MaxQueryTerms"/>.</summary>
    public static IReadOnlyList<string> QueryTerms(string text) => TextNormalizer.Terms(text).Distinct().Take(MaxQueryTerms).ToList();
}
