using Fractal.Functions.Audit;
using Fractal.Functions.Hosting;
using Fractal.Functions.OAuth.Clients;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.OAuth.Token;
using Fractal.Functions.OAuth.Tokens;
using Fractal.Functions.Storage;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Fractal.Functions.OAuth.Revocation;

/// <summary>
/// <c>POST /oauth/revoke</c> (RFC 7009). The client authenticates as at the token endpoint. Revoking a
/// refresh token or an access token ends the token family it belongs to (that device), provided the
/// token was issued to this client. An unknown, invalid or foreign token still answers 200 (RFC 7009
/// §2.2), so the endpoint reveals nothing about tokens.
/// </summary>
public sealed class RevokeFunction(
    ClientAuthenticator clients, TokenFamilyStore families, AuditLog audit,
    Hosting.Network.ClientIpResolver clientIp, Hosting.RateLimiting.RequestRateLimits limits)
{
    [Function("Revoke")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "oauth/revoke")] HttpRequest request)
    {
        if (HttpMethods.IsOptions(request.Method)) return Cors.Preflight(request, "POST, OPTIONS");
        Cors.Allow(request.HttpContext.Response, "POST, OPTIONS");
        // Like /oauth/token: every request may cost a client lookup, so a script cannot make us do them unbounded.
        if (limits.Refuse(request, Hosting.RateLimiting.RateLimited.RevokePerIp, clientIp.Resolve(request.HttpContext).ToString()) is { } limited) return limited;
        var ct = request.HttpContext.RequestAborted;
        try
        {
            var (form, formError) = await TokenForm.ReadAsync(request, ct);
            if (form is null) return formError!;
            var token = form["token"];
            if (token is null) return OAuthError.InvalidRequest("token is required.");

            var located = TokenFamilyStore.ReadLocator(token) is { } refresh ? refresh : ReadAccessTokenFamily(token);
            // A metadata-document client is known here only by the copy stored when it came to /oauth/authorize:
            // revocation never fetches a document (320 made-up https client_ids were 320 outbound fetches).
            var (consumer, clientError) = await clients.AuthenticateAsync(request, form, located?.Tenant, ct, ClientLookup.StoredOnly);
            if (consumer is null) return clientError!;

            if (located is var (tenant, familyId))
            {
                var family = await families.FindAsync(tenant, familyId, ct);
                if (family is not null && family.ClientId == consumer.ClientId && family.RevokedAt is null
                    && (IsAccessToken(token) || OpaqueToken.Hash(token) is var hash && (hash == family.CurrentHash || hash == family.PreviousHash)))
                {
                    await families.RevokeAsync(tenant, familyId, "revoked by the client", ct);
                    await audit.WriteAsync(tenant, new AuditEntry("revocation", AuditOutcome.Success, family.UserId, family.ClientId, "token family revoked by the client"), ct);
                }
            }
            OAuthError.NoStore(request.HttpContext.Response);
            return Results.Ok();
        }
        catch (Exception e) when (StorageFaults.IsTransient(e, ct))
        {
            return OAuthError.TemporarilyUnavailable(request.HttpContext.Response);
        }
    }

    private static bool IsAccessToken(string token) => token.Count(c => c == '.') == 2 && token.StartsWith("ey", StringComparison.Ordinal);

    /// <summary>
    /// The family named inside a JWT access token. Reading the claims without checking the signature is safe
    /// here: the family is only revoked if it belongs to the authenticated client, which is what RFC 7009
    /// allows that client to do anyway.
    /// </summary>
    private static (Identity.TenantId Tenant, string FamilyId)? ReadAccessTokenFamily(string token)
    {
        if (!IsAccessToken(token)) return null;
        try
        {
            var jwt = new JsonWebToken(token);
            return jwt.TryGetPayloadValue<string>(AccessTokenFactory.TenantClaim, out var tenant) && Identity.TenantId.IsValid(tenant)
                   && jwt.TryGetPayloadValue<string>(AccessTokenFactory.FamilyClaim, out var family)
                ? (new Identity.TenantId(tenant), family)
                : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
