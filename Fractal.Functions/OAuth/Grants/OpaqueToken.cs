using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Fractal.Functions.Identity;

namespace Fractal.Functions.OAuth.Grants;

/// <summary>
/// Authorization codes and refresh tokens: <c>&lt;locator&gt;.&lt;256 random bits&gt;</c>, base64url. The locator
/// (tenant, and for refresh tokens the token family) makes the stored row a point read; the row is keyed
/// by the SHA-256 of the whole token, so the table never holds a usable token (RFC 6749 §10.3, §10.5).
/// </summary>
public static class OpaqueToken
{
    public static string New(params string[] locator) => WithSecret(RandomNumberGenerator.GetBytes(32), locator);

    /// <summary>A token with a given 256-bit secret part (a refresh token's successor is derived, see TokenFamilyStore).</summary>
    public static string WithSecret(byte[] secret, params string[] locator) =>
        string.Join('.', locator.Select(part => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(part))))
        + "." + Base64Url.EncodeToString(secret);

    public static string Hash(string token) => Storage.Sha256Hex.Of(token);

    /// <summary>The locator parts of a well-formed token with <paramref name="parts"/> locator parts; null otherwise.</summary>
    public static string[]? TryReadLocator(string? token, int parts)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1024) return null;
        var segments = token.Split('.');
        if (segments.Length != parts + 1 || segments[^1].Length != 43) return null;
        var locator = new string[parts];
        for (var i = 0; i < parts; i++)
        {
            try
            {
                locator[i] = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(segments[i]));
            }
            catch (FormatException)
            {
                return null;
            }
        }
        return locator;
    }

    public static TenantId? TryReadTenant(string? token, int parts) =>
        TryReadLocator(token, parts) is { } locator && TenantId.IsValid(locator[0]) ? new TenantId(locator[0]) : null;
}
