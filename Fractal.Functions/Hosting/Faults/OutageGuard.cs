using Fractal.Functions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Hosting.Faults;

/// <summary>
/// Turns a dependency outage that escaped an endpoint (Table Storage or the secret store unreachable, throttled or
/// failing) into a 503 with Retry-After in the endpoint's own format, instead of a 500 page. Bugs are not outages:
/// any other exception is left alone. Both hosts run <see cref="OutageWorkerMiddleware"/> around every function
/// (<see cref="WorkerPipeline"/>), so no endpoint can forget it.
/// </summary>
public static class OutageGuard
{
    public static bool IsOutage(HttpContext context, Exception e) => StorageFaults.IsTransient(e, context.RequestAborted);

    /// <summary>The answer for an outage, or null when the response has already started (nothing honest can be added).</summary>
    public static IResult? Answer(HttpContext context, Exception e, ILogger logger)
    {
        // Only the exception type and the route: a message could quote a request (and a request can carry a secret).
        logger.LogWarning("Dependency outage on {Method} {Path}: {Exception}; answered 503.",
            context.Request.Method, context.Request.Path.Value, e.GetType().Name);
        if (context.Response.HasStarted) return null;
        context.Response.Clear();
        return ProtocolErrors.Unavailable(context.Request);
    }
}
