using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Search;

internal sealed record ScoredRef(string Ref, string Title, double Score);

/// <summary>
/// Reads a kind's term rows (<c>x|t|{term}|{record}</c>) for each query term and ranks the records.
/// Ranking: for each query term, a record's best match is the weight of its field holding a term equal to
/// the query term (×1), or, for query terms of 3+ characters, starting with it (×0.5); the score is the sum
/// of best matches times the share of query terms matched (a record matching every word outranks one
/// matching some). Each query term reads one RowKey range of at most <see cref="MaxRowsPerTerm"/> rows.
/// </summary>
internal sealed class TermIndexReader(TableStore tables)
{
    public const string Prefix = "x|t|";
    public const int MaxRowsPerTerm = 500;
    public const int MaxQueryTerms = 8;
    public const double PrefixFactor = 0.5;

    public async Task<IReadOnlyList<ScoredRef>> ScoreAsync(string table, string partition, IReadOnlyList<string> queryTerms, CancellationToken ct)
    {
        var reads = queryTerms.Select(q => q.Length >= 3
            ? tables.ReadRangeAsync<IndexRow>(table, partition, Prefix + q, Keys.After(Prefix + q), MaxRowsPerTerm, ct)
            : tables.ReadPrefixAsync<IndexRow>(table, partition, $"{Prefix}{q}|", MaxRowsPerTerm, ct)).ToList();
        var results = await Task.WhenAll(reads).ConfigureAwait(false);

        var best = new Dictionary<string, (double[] PerTerm, string Title)>(StringComparer.Ordinal);
        for (var i = 0; i < queryTerms.Count; i++)
        {
            foreach (var row in results[i])
            {
                var term = row.RowKey[Prefix.Length..row.RowKey.IndexOf('|', Prefix.Length)];
                var score = row.Weight * (term == queryTerms[i] ? 1.0 : PrefixFactor);
                if (!best.TryGetValue(row.Ref, out var entry)) best[row.Ref] = entry = (new double[queryTerms.Count], row.Data ?? row.Ref);
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

    /// <summary>The distinct normalised terms of a query, at most <see cref="MaxQueryTerms"/>.</summary>
    public static IReadOnlyList<string> QueryTerms(string text) => TextNormalizer.Terms(text).Distinct().Take(MaxQueryTerms).ToList();
}
