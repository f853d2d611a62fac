namespace Fractal.Functions.Maintenance.Search;

/// <summary>
/// The weighted terms a record is found by. Field weights: identifier (code, folio) 5, title/name 3,
/// related names (asset, warehouse) 2, descriptive text 1. A term keeps the highest weight it has in any
/// field. At most <see cref="MaxTerms"/> terms per record (the heaviest), which bounds the size of the
/// write batch that carries them.
/// </summary>
public static class SearchTerms
{
    public const int MaxTerms = 32;
    public const double IdentifierWeight = 5, TitleWeight = 3, RelatedWeight = 2, TextWeight = 1;

    public static IReadOnlyDictionary<string, double> Build(params (string? Text, double Weight)[] fields)
    {
        var terms = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (text, weight) in fields)
        {
            foreach (var term in TextNormalizer.Terms(text))
                terms[term] = Math.Max(weight, terms.GetValueOrDefault(term));
        }
        return terms.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).Take(MaxTerms)
            .ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
    }
}
