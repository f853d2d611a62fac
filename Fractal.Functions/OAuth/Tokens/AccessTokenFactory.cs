using System.Security.Cryptography;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Identity;
using Fractal.Functions.OAuth.Keys;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fractal.Functions.OAuth.Tokens;

/// <summary>What an access token says (RFC 9068 §2.2, plus our tenant and family ids).</summary>
public sealed record AccessTokenClaims(
    string Issuer, string Audience, string Subject, string ClientId, IReadOnlyList<string> Scopes, TenantId Tenant, string FamilyId, DateTimeOffset ExpiresAt);

/// <summary>Issues RFC 9068 access tokens: JWTs with <c>typ: at+jwt</c>, signed RS256 with the ring's current key.</summary>
public sealed class AccessTokenFactory(SigningKeyRing keys, IOptions<OAuthOptions> options, TimeProvider time)
{
    public const string TenantClaim = "tid";
    public const string FamilyClaim = "fid";
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TimeSpan Lifetime => TimeSpan.FromMinutes(options.Value.AccessTokenMinutes);

    public async Task<(string Token, int ExpiresIn)> CreateAsync(
        string issuer, string audience, string subject, string clientId, string scopes, TenantId tenant, string familyId, CancellationToken ct)
    {
        var key = await keys.CurrentAsync(ct);
        var now = time.GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = subject,
                ["client_id"] = clientId,
                ["scope"] = scopes,
                [JwtRegisteredClaimNames.Jti] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                [TenantClaim] = tenant.Value,
                [FamilyClaim] = familyId,
            },
        };
        return (Handler.CreateToken(descriptor), (int)Lifetime.TotalSeconds);
    }
}
