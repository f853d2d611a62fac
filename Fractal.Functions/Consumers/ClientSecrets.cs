using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Fractal.Functions.Consumers;

/// <summary>Generation and verification of consumer keys and secrets.</summary>
public static class ClientSecrets
{
    /// <summary>A client_id: 128 random bits, base64url (22 characters).</summary>
    public static string NewClientId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>A client secret: 256 random bits, base64url (43 characters).</summary>
    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Storage.Sha256Hex.Of(secret);

    /// <summary>
    /// Compares the presented secret's hash with the stored one in constant time (RFC 6749 §10.10 asks
    /// that credentials resist guessing; a timing side channel would help guessing).
    /// </summary>
    public static bool Verify(string? storedHash, string presented)
    {
        if (string.IsNullOrEmpty(storedHash) || presented.Length > 512) return false;
        var expected = Encoding.ASCII.GetBytes(storedHash);
        var actual = Encoding.ASCII.GetBytes(Hash(presented));
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>The first four characters, shown masked in the consumers list.</summary>
    public static string DisplayPrefix(string secret) => secret[..4];
}
