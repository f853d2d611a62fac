using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Hosting.Faults;

/// <summary>The wrapper around every function on both hosts (see <see cref="OutageGuard"/>); non-HTTP triggers pass through.</summary>
public sealed class OutageWorkerMiddleware(ILogger<OutageWorkerMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.GetHttpContext() is { } http && OutageGuard.IsOutage(http, e))
        {
            var answer = OutageGuard.Answer(http, e, logger);
            if (answer is null) throw;
            // Written to the response directly, as functions that return Task do; the proxy then sends it as is.
            await answer.ExecuteAsync(http);
        }
    }
}
