using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Fractal.Functions.Identity;
using Fractal.Functions.OAuth.Keys;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fractal.Functions.OAuth.Tokens;

/// <summary>The outcome of validating a bearer token: the claims, or why it was refused (never the token).</summary>
public sealed record BearerValidation(AccessTokenClaims? Claims, string? Failure)
{
    public bool IsValid => Claims is not null;
    public static BearerValidation Fail(string why) => new(null, why);
}

/// <summary>
/// The one bearer-token validator every protected resource uses (MCP endpoint, admin API). Checks the
/// signature against our published keys, <c>typ</c>, <c>iss</c>, <c>exp</c>/<c>nbf</c> and that <c>aud</c> is
/// exactly the resource asking (RFC 9068 §4, RFC 8707): a token for one resource is refused by the other.
/// Then the token family must still be alive (revocation), as seen through a cache with a bounded age.
/// <para>A token that passed these checks once is remembered (by its SHA-256, never the token itself) until
/// it expires: seen again, only its expiry, the resource asking and the family's status are checked, which
/// spares the signature check (the bulk of the cost) on every call of a busy client (issue 13: under 10 µs).</para>
/// <para>Memory: tokens that expired are swept out at most once a minute, when a new token is remembered, so
/// the cache holds about (tokens minted per minute × access-token minutes) entries and then stays level
/// (issue 14: a soak's memory must plateau); <see cref="MaxSeen"/> caps it whatever the rate.</para>
/// </summary>
public sealed class BearerTokenValidator(SigningKeyRing keys, TokenStatusCache status, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new();
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private const int MaxSeen = 100_000;
    private readonly ConcurrentDictionary<string, AccessTokenClaims> _seen = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    /// <summary>How many validated tokens are remembered (for tests of the memory bound).</summary>
    internal int SeenCount => _seen.Count;

    public async Task<BearerValidation> ValidateAsync(string? token, string issuer, string audience, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 8192) return BearerValidation.Fail("no token");
        var seenKey = SeenKey(token);
        if (_seen.TryGetValue(seenKey, out var seen) && seen.Issuer == issuer && seen.Audience == audience)
        {
            if (time.GetUtcNow() > seen.ExpiresAt + ClockSkew)
            {
                _seen.TryRemove(seenKey, out _);
                return BearerValidation.Fail("SecurityTokenExpiredException");
            }
            return await status.IsFamilyActiveAsync(seen.Tenant, seen.FamilyId, ct) ? new BearerValidation(seen, null) : BearerValidation.Fail("revoked");
        }

        var validation = await ValidateSignedAsync(token, issuer, audience, ct);
        if (validation.Claims is { } claims)
        {
            SweepExpired();
            if (_seen.Count >= MaxSeen) _seen.Clear(); // bound memory; the cache only saves signature checks
            _seen[seenKey] = claims;
        }
        return validation;
    }

    /// <summary>Forgets expired tokens; one caller a minute does it (the others skip), off no one's lock.</summary>
    private void SweepExpired()
    {
        var now = time.GetUtcNow();
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, due) != due) return;
        foreach (var (key, claims) in _seen)
            if (now > claims.ExpiresAt + ClockSkew) _seen.TryRemove(key, out _);
    }

    private static string SeenKey(string token)
    {
        Span<byte> hash = stackalloc byte[32];
        var length = Encoding.UTF8.GetMaxByteCount(token.Length);
        var bytes = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(token, bytes);
            SHA256.HashData(bytes.AsSpan(0, written), hash);
            return Convert.ToBase64String(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>The full check of a token not seen before: signature, typ, iss, aud, lifetime, claims, family status.</summary>
    internal async Task<BearerValidation> ValidateSignedAsync(string token, string issuer, string audience, CancellationToken ct)
    {
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return BearerValidation.Fail("malformed token");
        }
        var key = jwt.Kid is { Length: > 0 } kid ? await keys.FindAsync(kid, ct) : null;
        if (key is null) return BearerValidation.Fail("unknown signing key");

        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKey = key.Key,
            ValidTypes = ["at+jwt"],
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            // exp/nbf against the injected clock (tests run "as of" a date), with 30 s of skew.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } exp && now <= exp + ClockSkew && (notBefore is not { } nbf || now >= nbf - ClockSkew);
            },
        });
        if (!result.IsValid) return BearerValidation.Fail(result.Exception?.GetType().Name ?? "invalid token");

        var claims = result.ClaimsIdentity;
        var tenant = claims.FindFirst(AccessTokenFactory.TenantClaim)?.Value;
        var family = claims.FindFirst(AccessTokenFactory.FamilyClaim)?.Value;
        var subject = claims.FindFirst(JwtRegisteredClaimNames.Sub)?.Value ?? claims.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        var clientId = claims.FindFirst("client_id")?.Value;
        if (!TenantId.IsValid(tenant) || family is null || subject is null || clientId is null) return BearerValidation.Fail("missing claims");

        var tenantId = new TenantId(tenant);
        if (!await status.IsFamilyActiveAsync(tenantId, family, ct)) return BearerValidation.Fail("revoked");

        var scopes = (claims.FindFirst("scope")?.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new BearerValidation(new AccessTokenClaims(issuer, audience, subject, clientId, scopes, tenantId, family,
            new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero)), null);
    }
}
