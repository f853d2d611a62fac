using Fractal.Functions.Hosting.Telemetry;
using Fractal.Functions.Audit;
using Fractal.Functions.OAuth.Clients;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.OAuth.Tokens;
using Fractal.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.OAuth.Token;

/// <summary>
/// <c>grant_type=refresh_token</c> (RFC 6749 §6) with rotation (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2):
/// <list type="bullet">
/// <item>the current token → a successor (derived, see <see cref="TokenFamilyStore"/>) becomes current;</item>
/// <item>the replaced token within the reuse leeway → the same successor again (parallel refreshes);</item>
/// <item>the replaced token after the leeway, or any older token → the family is revoked;</item>
/// <item>a family idle past OAuth:RefreshIdleDays, older than OAuth:RefreshMaxDays, revoked, or whose user
/// is disabled → invalid_grant.</item>
/// </list>
/// </summary>
public sealed class RefreshTokenGrant(TokenFamilyStore families, TokenStatusCache status, TokenIssuer issuer, AuditLog audit, IOptions<OAuthOptions> options, TimeProvider time)
{
    public async Task<Microsoft.AspNetCore.Http.IResult> HandleAsync(TokenForm form, OAuthClient consumer, string issuerUrl, CancellationToken ct)
    {
        var presented = form["refresh_token"];
        if (presented is null) return OAuthError.InvalidRequest("refresh_token is required.");
        if (TokenFamilyStore.ReadLocator(presented) is not var (tenant, familyId)) return OAuthError.InvalidGrant("The refresh token is invalid.");
        var presentedHash = OpaqueToken.Hash(presented);
        var o = options.Value;

        for (var attempt = 0; attempt < 10; attempt++)
        {
            var family = await families.FindAsync(tenant, familyId, ct);
            if (family is null || family.ClientId != consumer.ClientId) return OAuthError.InvalidGrant("The refresh token is invalid.");
            if (family.RevokedAt is not null) return OAuthError.InvalidGrant("The refresh token was revoked.");

            var now = time.GetUtcNow();
            if (now - family.LastUsedAt > TimeSpan.FromDays(o.RefreshIdleDays) || now - family.CreatedAt > TimeSpan.FromDays(o.RefreshMaxDays))
                return OAuthError.InvalidGrant("The refresh token has expired.");
            if (form["resource"] is { } resource && resource != family.Resource)
                return OAuthError.InvalidTarget("resource must be the audience this refresh token was issued for.");
            // A client of no tenant may hold the MCP resource only (RFC 8707 §2, issue 24 #14): a grant for another
            // resource given before that rule is not renewed.
            if (consumer.Kind != ClientKind.Consumer && !family.Resource.EndsWith(OAuthResources.McpPath, StringComparison.Ordinal))
                return OAuthError.InvalidGrant("This client may only hold the MCP resource; authorize again.");
            var scopes = family.Scopes;
            if (form["scope"] is { } requested)
            {
                // RFC 6749 §6: a refresh may narrow the scope, never widen it.
                var granted = Scopes.Parse(family.Scopes);
                var asked = Scopes.Parse(requested);
                if (asked.Any(s => !granted.Contains(s))) return OAuthError.InvalidScope("The requested scope exceeds the scope originally granted.");
                scopes = Scopes.Format(asked);
            }

            var isCurrent = presentedHash == family.CurrentHash;
            var isReplacedInLeeway = presentedHash == family.PreviousHash && family.RotatedAt is { } rotated
                                     && now - rotated <= TimeSpan.FromSeconds(o.RefreshReuseLeewaySeconds);
            if (!isCurrent && !isReplacedInLeeway)
            {
                await families.RevokeAsync(tenant, familyId, "refresh token reused", ct);
                await audit.WriteAsync(tenant, new AuditEntry("refresh_reuse", AuditOutcome.Refused, family.UserId, family.ClientId, "the token family was revoked"), ct);
                FractalTelemetry.RefreshReused();
                return OAuthError.InvalidGrant("The refresh token was already used.");
            }
            if (!await status.IsUserEnabledAsync(tenant, family.UserId, ct)) return OAuthError.InvalidGrant("The user's account is disabled.");
            if (family.Resource.EndsWith(OAuthResources.McpPath, StringComparison.Ordinal) && !await status.IsMcpEnabledAsync(tenant, ct))
                return OAuthError.InvalidGrant("MCP access is turned off for this Fractal One account.");

            // Derived from the presented token: in the leeway the replaced token yields the very successor it yielded before.
            var successor = await families.SuccessorAsync(tenant, familyId, presentedHash, ct);
            if (isCurrent)
            {
                family.PreviousHash = presentedHash;
                family.CurrentHash = OpaqueToken.Hash(successor);
                family.RotatedAt = now;
                family.Generation++;
                family.LastUsedAt = now;
                var written = await families.TryRotateAsync(family, ct);
                if (written.Status == WriteStatus.Conflict) continue; // a parallel refresh rotated first: re-evaluate
                if (written.Status == WriteStatus.NotFound) return OAuthError.InvalidGrant("The refresh token was revoked.");
            }
            // Issuance succeeded: its audit entry goes with the next batch (DeferredAuditWriter), off the request path.
            await audit.DeferAsync(tenant, new AuditEntry("token_issued", AuditOutcome.Success, family.UserId, family.ClientId, "refresh_token"), ct);
            FractalTelemetry.TokenIssued("refresh_token");
            FractalTelemetry.TagCaller(tenant.Value, family.ClientId, family.UserId);
            return await issuer.IssueAsync(issuerUrl, family, scopes, successor, ct);
        }
        return new OAuthError("temporarily_unavailable", "The refresh token is being used concurrently; try again.", 503);
    }
}
