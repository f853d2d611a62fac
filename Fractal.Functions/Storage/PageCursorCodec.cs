using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Fractal.Functions.Secrets;

namespace Fractal.Functions.Storage;

/// <summary>
/// Paging cursors handed to clients: the storage continuation token bound to the query it belongs to and
/// signed with HMAC-SHA256, so a client can neither forge one nor replay it against another query
/// (another tenant's partition in particular).
/// </summary>
public sealed class PageCursorCodec(ServiceKeyStore keys)
{
    private const string KeyPurpose = "paging-cursor-key";

    public async Task<string> EncodeAsync(string scope, string continuation, CancellationToken ct = default)
    {
        var payload = Encoding.UTF8.GetBytes(continuation);
        var mac = await MacAsync(scope, payload, ct).ConfigureAwait(false);
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(mac)}";
    }

    /// <summary>The continuation token, or null when the cursor is malformed, forged or from another query.</summary>
    public async Task<string?> TryDecodeAsync(string scope, string cursor, CancellationToken ct = default)
    {
        var dot = cursor.IndexOf('.');
        if (dot <= 0 || cursor.Length > 4096) return null;
        byte[] payload, mac;
        try
        {
            payload = Base64Url.DecodeFromChars(cursor.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(cursor.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return null;
        }
        var expected = await MacAsync(scope, payload, ct).ConfigureAwait(false);
        return CryptographicOperations.FixedTimeEquals(mac, expected) ? Encoding.UTF8.GetString(payload) : null;
    }

    private async Task<byte[]> MacAsync(string scope, byte[] payload, CancellationToken ct)
    {
        var key = await keys.GetOrCreateAsync(KeyPurpose, ct).ConfigureAwait(false);
        var scopeBytes = Encoding.UTF8.GetBytes(scope);
        var message = new byte[4 + scopeBytes.Length + payload.Length];
        BitConverter.TryWriteBytes(message.AsSpan(0, 4), scopeBytes.Length);
        scopeBytes.CopyTo(message, 4);
        payload.CopyTo(message, 4 + scopeBytes.Length);
        return HMACSHA256.HashData(key, message);
    }
}
