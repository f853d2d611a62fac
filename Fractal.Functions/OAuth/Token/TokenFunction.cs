using System.Diagnostics;
using Fractal.Functions.Hosting;
using Fractal.Functions.Hosting.Telemetry;
using Fractal.Functions.Storage;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.OAuth.Token;

/// <summary>
/// <c>POST /oauth/token</c> (RFC 6749 §3.2): read the form, authenticate the client, run the grant.
/// Every answer is JSON with <c>Cache-Control: no-store</c>, including a GET and an unexpected failure.
/// </summary>
public sealed class TokenFunction(
    ClientAuthenticator clients, Clients.TenantClientPolicy policy, AuthorizationCodeGrant codes, RefreshTokenGrant refreshes, PublicUrls urls, ILogger<TokenFunction> logger,
    Hosting.Network.ClientIpResolver clientIp, Hosting.RateLimiting.RequestRateLimits limits)
{
    [Function("Token")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "options", Route = "oauth/token")] HttpRequest request)
    {
        if (HttpMethods.IsOptions(request.Method)) return Cors.Preflight(request, "POST, OPTIONS");
        Cors.Allow(request.HttpContext.Response, "POST, OPTIONS");
        if (!HttpMethods.IsPost(request.Method))
        {
            request.HttpContext.Response.Headers.Allow = "POST, OPTIONS";
            return new OAuthError("invalid_request", "The token endpoint accepts POST only.", StatusCodes.Status405MethodNotAllowed);
        }
        if (limits.Refuse(request, Hosting.RateLimiting.RateLimited.TokenPerIp, clientIp.Resolve(request.HttpContext).ToString()) is { } perIp) return perIp;
        var ct = request.HttpContext.RequestAborted;
        var started = Stopwatch.GetTimestamp();
        // Read outside the answer so the telemetry below can name the grant type (a malformed form has none).
        var (form, formError) = await TokenForm.ReadAsync(request, ct);
        var grantType = form?["grant_type"];
        IResult? answer = null;
        try
        {
            answer = form is null ? formError! : await AnswerAsync(request, form, grantType, ct);
            return answer;
        }
        finally
        {
            FractalTelemetry.TokenRequestAnswered(grantType, (answer as OAuthError)?.Status ?? (answer is null ? 500 : 200), Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<IResult> AnswerAsync(HttpRequest request, TokenForm form, string? grantType, CancellationToken ct)
    {
        try
        {
            var tenantHint = grantType switch
            {
                "authorization_code" => OpaqueToken.TryReadTenant(form["code"], 1),
                "refresh_token" => TokenFamilyStore.ReadLocator(form["refresh_token"])?.Tenant,
                _ => null,
            };
            var (consumer, clientError) = await clients.AuthenticateAsync(request, form, tenantHint, ct);
            if (consumer is null) return clientError!;
            FractalTelemetry.TagCaller((consumer.OwnerTenant ?? tenantHint)?.Value, consumer.ClientId, userId: null);

            // A client of no tenant is checked against the tenant its code or refresh token belongs to (the
            // locator's tenant is the one the grant reads): a tenant admin's block applies to existing connections.
            if (consumer.OwnerTenant is null && tenantHint is { } grantTenant && !await policy.AllowsAsync(grantTenant, consumer, ct))
                return new OAuthError("unauthorized_client", "This Fractal One account does not allow this client.");

            // Counted after authentication, so nobody can spend another consumer's allowance by naming its client_id.
            if (limits.Refuse(request, Hosting.RateLimiting.RateLimited.TokenPerConsumer, consumer.ClientId) is { } perConsumer) return perConsumer;

            var issuer = urls.Issuer(request);
            return grantType switch
            {
                null => OAuthError.InvalidRequest("grant_type is required."),
                "authorization_code" when !consumer.AuthorizationCodeAllowed =>
                    new OAuthError("unauthorized_client", "This client may not use the authorization code grant."),
                "authorization_code" => await codes.HandleAsync(form, consumer, issuer, ct),
                "refresh_token" => await refreshes.HandleAsync(form, consumer, issuer, ct),
                _ => new OAuthError("unsupported_grant_type", "Supported grant types: authorization_code, refresh_token."),
            };
        }
        catch (Exception e) when (StorageFaults.IsTransient(e, ct))
        {
            logger.LogWarning("Token request failed on a dependency: {Fault}", e.GetType().Name);
            return OAuthError.TemporarilyUnavailable(request.HttpContext.Response);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError("Token request failed unexpectedly: {Fault}", e.GetType().Name);
            return new OAuthError("server_error", "The request could not be completed.", StatusCodes.Status500InternalServerError);
        }
    }
}
