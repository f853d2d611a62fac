using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>
/// An opaque cursor for tools that page a list they read whole (bounded by the service): the offset plus a
/// short hash of the query, so a cursor of another query is refused instead of silently skipping rows.
/// </summary>
public static class OffsetCursor
{
    public static string Write(int offset, string query) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{offset.ToString(CultureInfo.InvariantCulture)}|{Hash(query)}"));

    /// <summary>True with offset 0 when there is no cursor; false when it is not a cursor of this query.</summary>
    public static bool TryRead(string? cursor, string query, out int offset)
    {
        offset = 0;
        if (string.IsNullOrEmpty(cursor)) return true;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('|');
            return parts.Length == 2 && parts[1] == Hash(query)
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Hash(string query) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(query)), 0, 6);
}
