using Fractal.Functions.Storage;
using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Admin;

/// <summary>Runs an admin API call so that a dependency outage is a 503 problem with Retry-After, and a bad cursor a 400, never a 500 page.</summary>
public static class ApiGuard
{
    public static async Task<IResult> RunAsync(HttpRequest request, Func<Task<IResult>> call)
    {
        try
        {
            return await call();
        }
        catch (InvalidCursorException)
        {
            return new ProblemResult(StatusCodes.Status400BadRequest, "Invalid cursor", "The cursor is not valid for this list; start again without it.");
        }
        catch (Exception e) when (StorageFaults.IsTransient(e, request.HttpContext.RequestAborted))
        {
            request.HttpContext.Response.Headers.RetryAfter = "5";
            return new ProblemResult(StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable", "A dependency did not answer; nothing was changed. Try again shortly.");
        }
    }
}
