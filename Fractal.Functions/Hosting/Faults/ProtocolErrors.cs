using System.Globalization;
using System.Text.Json;
using Fractal.Functions.Admin;
using Fractal.Functions.OAuth.Token;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Hosting.Faults;

/// <summary>
/// The two answers every endpoint can give for reasons outside its own logic — a dependency outage (503) and a
/// rate limit (429) — each with <c>Retry-After</c> (RFC 9110 §10.2.3) and in the endpoint's own error format.
/// </summary>
public static class ProtocolErrors
{
    /// <summary>JSON-RPC server-error code for "try again later" (the implementation-defined range -32000..-32099).</summary>
    public const int JsonRpcUnavailable = -32001;
    /// <summary>JSON-RPC server-error code for "too many requests".</summary>
    public const int JsonRpcRateLimited = -32029;

    public static IResult Unavailable(HttpRequest request, int retryAfterSeconds = 5)
    {
        request.HttpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        const string detail = "A dependency (storage or secret store) did not answer; nothing was changed. Try again shortly.";
        return EndpointProtocols.Of(request) switch
        {
            EndpointProtocol.OAuthJson => new OAuthError("temporarily_unavailable", "The service is temporarily unavailable; try again shortly.", StatusCodes.Status503ServiceUnavailable),
            EndpointProtocol.JsonRpc => new JsonRpcErrorResult(StatusCodes.Status503ServiceUnavailable, JsonRpcUnavailable, "Temporarily unavailable: " + detail),
            EndpointProtocol.Problem => new ProblemResult(StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable", detail),
            _ => ErrorPage.Create(StatusCodes.Status503ServiceUnavailable, Texts.For(request), Texts.For(request)["error.unavailable"]),
        };
    }

    public static IResult RateLimited(HttpRequest request, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var detail = $"Too many requests; try again in {seconds} s.";
        return EndpointProtocols.Of(request) switch
        {
            // RFC 6749 has no rate-limit code; temporarily_unavailable (§4.1.2.1) tells a client to retry later
            // rather than give up, and the 429 status with Retry-After says when.
            EndpointProtocol.OAuthJson => new OAuthError("temporarily_unavailable", detail, StatusCodes.Status429TooManyRequests),
            EndpointProtocol.JsonRpc => new JsonRpcErrorResult(StatusCodes.Status429TooManyRequests, JsonRpcRateLimited, detail),
            EndpointProtocol.Problem => new ProblemResult(StatusCodes.Status429TooManyRequests, "Too many requests", detail),
            _ => ErrorPage.Create(StatusCodes.Status429TooManyRequests, Texts.For(request), Texts.For(request).Format("error.ratelimited", seconds)),
        };
    }
}

/// <summary>A JSON-RPC 2.0 error object with no id (the request could not be read or was not processed), with an HTTP status.</summary>
public sealed record JsonRpcErrorResult(int Status, int Code, string Message) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.StatusCode = Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            jsonrpc = "2.0",
            id = (string?)null,
            error = new { code = Code, message = Message },
        });
    }
}
