using System.Collections.Concurrent;
using System.Diagnostics;
using Fractal.Functions.Hosting.Standalone;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// Follows a test request, tagged by a header, into its function the way a trace does under the Functions host. The
/// request's flow does not reach the function (the standalone host suppresses it, as the worker's invocation runs in
/// the host's flow), but its trace context does: the invocation's activity is a child of the request's. So a middleware
/// starts an activity for each tagged request and keeps <typeparamref name="T"/> under its trace id, and a dependency
/// policy reads <see cref="Current"/> from the activity it runs under.
/// </summary>
public sealed class TaggedRequests<T>(string header, Func<string, T?> begin) : IStartupFilter where T : class
{
    private readonly ConcurrentDictionary<ActivityTraceId, T> _byTrace = new();

    static TaggedRequests()
    {
        // The standalone host starts invocation activities only for a listener, as the worker does.
        ActivitySource.AddActivityListener(new ActivityListener
        {
            ShouldListenTo = source => source.Name == StandaloneHost.InvocationSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        });
    }

    /// <summary>What the tagged request running here began with; null outside any tagged request (setup, background work).</summary>
    public T? Current => Activity.Current is { } activity && _byTrace.TryGetValue(activity.TraceId, out var state) ? state : null;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (context.Request.Headers[header].ToString() is { Length: > 0 } tag && begin(tag) is { } state)
            {
                // A root activity of its own: a trace id no other request shares, whatever else listens.
                using var activity = new Activity("tagged test request").SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom()).Start();
                _byTrace[activity.TraceId] = state;
                try { await nextMiddleware(context); }
                finally { _byTrace.TryRemove(activity.TraceId, out _); }
            }
            else await nextMiddleware(context);
        });
        next(app);
    };
}
