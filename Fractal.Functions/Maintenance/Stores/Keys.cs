using System.Globalization;
using System.Text;

namespace Fractal.Functions.Maintenance.Stores;

/// <summary>
/// Building blocks of RowKeys. Fields are joined with '|'; every variable part is either a fixed-width
/// number, a fixed-width UTC timestamp or escaped text, so lexical RowKey order is the order we want and
/// no value can forge a separator. A prefix ending in '|' selects exactly one family or one value.
/// </summary>
internal static class Keys
{
    public const char Separator = '|';
    private const long InvertBase = 999_999_999_999;

    /// <summary>Fixed width, ascending.</summary>
    public static string Number(long n) => n.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>Fixed width, descending: newest (highest number) first in a range.</summary>
    public static string Inverted(long n) => (InvertBase - n).ToString("D12", CultureInfo.InvariantCulture);

    public static long FromInverted(string key) => InvertBase - long.Parse(key, CultureInfo.InvariantCulture);

    /// <summary>A sortable UTC timestamp to the second.</summary>
    public static string Time(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Text made safe and canonical for a RowKey: lower-case; letters, digits, '.', '-', '_' and '@' kept;
    /// anything else (including the separator and the characters Table Storage forbids: / \ # ?) as ~XXXX.
    /// </summary>
    public static string Text(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value.Trim().ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-' or '_' or '@') sb.Append(c);
            else sb.Append('~').Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    public static string Join(params string[] parts) => string.Join(Separator, parts);

    /// <summary>The upper bound of every key that starts with <paramref name="prefix"/>.</summary>
    public static string After(string prefix) => prefix + '\uffff';
}
