using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.OAuth.Token;

/// <summary>
/// An RFC 6749 §5.2 error response: JSON <c>{error, error_description}</c>, never cached. For a failed
/// HTTP Basic client authentication, 401 with <c>WWW-Authenticate: Basic</c> (RFC 6749 §5.2).
/// </summary>
public sealed record OAuthError(string Error, string Description, int Status = StatusCodes.Status400BadRequest, bool BasicChallenge = false) : IResult
{
    public static OAuthError InvalidRequest(string description) => new("invalid_request", description);
    public static OAuthError InvalidGrant(string description) => new("invalid_grant", description);
    public static OAuthError InvalidClient(string description, bool basic) => new("invalid_client", description, StatusCodes.Status401Unauthorized, basic);
    public static OAuthError InvalidTarget(string description) => new("invalid_target", description);
    public static OAuthError InvalidScope(string description) => new("invalid_scope", description);

    /// <summary>A dependency (storage, secret store) did not answer: 503 with Retry-After, in OAuth's own error format.</summary>
    public static OAuthError TemporarilyUnavailable(HttpResponse response)
    {
        response.Headers.RetryAfter = "5";
        return new("temporarily_unavailable", "The service is temporarily unavailable; try again shortly.", StatusCodes.Status503ServiceUnavailable);
    }

    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = Status;
        NoStore(response);
        if (BasicChallenge) response.Headers.WWWAuthenticate = "Basic realm=\"fractal-one\", charset=\"UTF-8\"";
        response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(response.Body, new Dictionary<string, string> { ["error"] = Error, ["error_description"] = Description });
    }

    /// <summary>RFC 6749 §5.1: token responses (and their errors) must not be cached.</summary>
    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}
