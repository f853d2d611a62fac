using Fractal.Functions.Hosting.Telemetry;
using Fractal.Functions.Audit;
using Fractal.Functions.OAuth.Clients;
using Fractal.Functions.Identity;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.OAuth.Tokens;
using Fractal.Functions.Storage;

namespace Fractal.Functions.OAuth.Token;

/// <summary>
/// <c>grant_type=authorization_code</c> (RFC 6749 §4.1.3, RFC 7636 §4.6). Everything the request must
/// match (client, redirect_uri, resource, PKCE verifier) is checked before the code is consumed, so a
/// bad request can be corrected and retried (connector-compat). The code is consumed with an ETag: of
/// concurrent redemptions exactly one wins. A code presented again after it was redeemed revokes the
/// family it started (RFC 6749 §4.1.2 and §10.5).
/// </summary>
public sealed class AuthorizationCodeGrant(GrantStore grants, TokenFamilyStore families, TokenStatusCache status, TokenIssuer issuer, AuditLog audit, TimeProvider time)
{
    public async Task<Microsoft.AspNetCore.Http.IResult> HandleAsync(TokenForm form, OAuthClient consumer, string issuerUrl, CancellationToken ct)
    {
        var code = form["code"];
        var verifier = form["code_verifier"];
        if (code is null) return OAuthError.InvalidRequest("code is required.");
        if (verifier is null) return OAuthError.InvalidRequest("code_verifier is required (PKCE).");

        var row = await grants.FindCodeAsync(code, ct);
        if (row is null || row.ClientId != consumer.ClientId) return OAuthError.InvalidGrant("The code is invalid or was issued to another client.");
        var tenant = new TenantId(row.PartitionKey);

        if (row.RedeemedAt is not null)
        {
            if (row.FamilyId is not null) await families.RevokeAsync(tenant, row.FamilyId, "authorization code replayed", ct);
            await audit.WriteAsync(tenant, new AuditEntry("code_replay", AuditOutcome.Refused, row.UserId, row.ClientId, "the family this code started was revoked"), ct);
            FractalTelemetry.CodeReplayed();
            return OAuthError.InvalidGrant("The code was already used.");
        }
        if (row.ExpiresAt <= time.GetUtcNow()) return OAuthError.InvalidGrant("The code has expired.");

        // RFC 6749 §4.1.3: redirect_uri must be repeated, identically, when the authorization request had it.
        var redirectUri = form["redirect_uri"];
        if ((row.RedirectUriSent || redirectUri is not null) && redirectUri != row.RedirectUri)
            return OAuthError.InvalidGrant("redirect_uri does not match the authorization request.");
        if (form["resource"] is { } resource && resource != row.Resource)
            return OAuthError.InvalidTarget("resource does not match the authorization request.");
        if (!Pkce.Verify(verifier, row.CodeChallenge)) return OAuthError.InvalidGrant("The code_verifier does not match the code_challenge.");
        if (!await status.IsUserEnabledAsync(tenant, row.UserId, ct)) return OAuthError.InvalidGrant("The user's account is disabled.");
        if (row.Resource.EndsWith(OAuthResources.McpPath, StringComparison.Ordinal) && !await status.IsMcpEnabledAsync(tenant, ct))
            return OAuthError.InvalidGrant("MCP access is turned off for this Fractal One account.");

        var now = time.GetUtcNow();
        var familyId = TokenFamilyStore.NewFamilyId();
        var offline = Scopes.Parse(row.Scopes).Contains(Scopes.OfflineAccess);
        var refreshToken = offline ? TokenFamilyStore.NewRefreshToken(tenant, familyId) : null;
        var family = new TokenFamilyEntity
        {
            PartitionKey = tenant.Value,
            RowKey = TokenFamilyEntity.RowKeyPrefix + familyId,
            UserId = row.UserId,
            ClientId = row.ClientId,
            Resource = row.Resource,
            Scopes = row.Scopes,
            CurrentHash = refreshToken is null ? null : OpaqueToken.Hash(refreshToken),
            CreatedAt = now,
            LastUsedAt = now,
        };
        var redeemed = await families.RedeemCodeAsync(tenant, row, family, ct);
        if (redeemed.Status == WriteStatus.Conflict) return OAuthError.InvalidGrant("The code was already used.");
        if (redeemed.Status == WriteStatus.NotFound) return OAuthError.InvalidGrant("The authorization was revoked.");

        // Issuance succeeded: its audit entry goes with the next batch (DeferredAuditWriter), off the request path.
        await audit.DeferAsync(tenant, new AuditEntry("token_issued", AuditOutcome.Success, row.UserId, row.ClientId, "authorization_code"), ct);
        FractalTelemetry.TokenIssued("authorization_code");
        FractalTelemetry.TagCaller(tenant.Value, row.ClientId, row.UserId);
        return await issuer.IssueAsync(issuerUrl, family, row.Scopes, refreshToken, ct);
    }
}
