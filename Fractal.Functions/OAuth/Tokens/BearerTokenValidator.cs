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
/// </summary>
public sealed class BearerTokenValidator(SigningKeyRing keys, TokenStatusCache status, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<BearerValidation> ValidateAsync(string? token, string issuer, string audience, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 8192) return BearerValidation.Fail("no token");
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
                return expires is { } exp && now <= exp.AddSeconds(30) && (notBefore is not { } nbf || now >= nbf.AddSeconds(-30));
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
