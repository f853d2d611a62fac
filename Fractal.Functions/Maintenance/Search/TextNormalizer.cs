using System.Globalization;
using System.Text;

namespace Fractal.Functions.Maintenance.Search;

/// <summary>
/// Turns text into search terms: lower case, accents removed ("Compresor N°2" → compresor, 2; "Línea" →
/// linea), split on anything that is not a letter or digit, Spanish and English stop words dropped, single
/// letters dropped (digits kept: "N°2" should still match "2"), folio prefixes dropped ("OT-1496" → 1496).
/// Terms are safe inside a RowKey.
/// </summary>
public static class TextNormalizer
{
    public const int MaxTermLength = 40;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "de", "del", "la", "el", "los", "las", "un", "una", "al", "en", "con", "para", "por", "y", "o", "que", "se", "su",
        "the", "of", "and", "for", "to", "in", "on", "an",
        // Folio prefixes ("OT-1496", "SR-12"): the number is the identifier.
        "ot", "sr",
    };

    public static IEnumerable<string> Terms(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) yield break;
        var folded = Fold(text);
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var isWord = i < folded.Length && char.IsAsciiLetterOrDigit(folded[i]);
            if (isWord && start < 0) start = i;
            if (isWord || start < 0) continue;
            var term = folded[start..i];
            start = -1;
            if (term.Length > MaxTermLength) term = term[..MaxTermLength];
            if (StopWords.Contains(term)) continue;
            if (term.Length == 1 && !char.IsAsciiDigit(term[0])) continue;
            yield return term;
        }
    }

    /// <summary>Lower case without diacritics; letters outside ASCII after folding become separators.</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
