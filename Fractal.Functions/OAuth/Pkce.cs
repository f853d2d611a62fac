using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Fractal.Functions.OAuth;

/// <summary>PKCE (RFC 7636). Only S256: <c>plain</c> offers no protection if the challenge leaks (OAuth 2.1 §4.1.1).</summary>
public static partial class Pkce
{
    /// <summary>RFC 7636 §4.1: 43-128 characters of [A-Z a-z 0-9 - . _ ~].</summary>
    [GeneratedRegex("^[A-Za-z0-9\\-._~]{43,128}$")]
    public static partial Regex VerifierPattern();

    /// <summary>An S256 challenge is base64url(SHA-256(verifier)) without padding: exactly 43 characters.</summary>
    [GeneratedRegex("^[A-Za-z0-9\\-_]{43}$")]
    public static partial Regex ChallengePattern();

    public static string Challenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public static bool Verify(string verifier, string challenge) =>
        VerifierPattern().IsMatch(verifier)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Challenge(verifier)), Encoding.ASCII.GetBytes(challenge));
}
