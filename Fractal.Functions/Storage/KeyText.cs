using System.Globalization;
using System.Text;

namespace Fractal.Functions.Storage;

/// <summary>
/// Text turned into a RowKey fragment for ordered, prefix-searchable index rows: lower case, accents
/// removed ("Compresor N°2" and "compresor n°2" sort and match alike), whitespace collapsed, and the
/// characters table keys refuse (/ \ # ? and control characters) and our separator | dropped.
/// </summary>
public static class KeyText
{
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var decomposed = text.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var lastWasSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (c is '/' or '\\' or '#' or '?' or '|' || char.IsControl(c)) continue;
            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace) builder.Append(' ');
                lastWasSpace = true;
                continue;
            }
            builder.Append(c);
            lastWasSpace = false;
        }
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }
}
