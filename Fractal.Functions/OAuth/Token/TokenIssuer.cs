using Fractal.Functions.Identity;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.OAuth.Tokens;

namespace Fractal.Functions.OAuth.Token;

/// <summary>Builds the token response for a family: a fresh access token, and the refresh token when one applies.</summary>
public sealed class TokenIssuer(AccessTokenFactory accessTokens)
{
    public async Task<TokenResponse> IssueAsync(string issuer, TokenFamilyEntity family, string scopes, string? refreshToken, CancellationToken ct)
    {
        var (token, expiresIn) = await accessTokens.CreateAsync(issuer, family.Resource, family.UserId, family.ClientId, scopes,
            new TenantId(family.PartitionKey), family.FamilyId, ct);
        return new TokenResponse(token, "Bearer", expiresIn, scopes, refreshToken);
    }
}
