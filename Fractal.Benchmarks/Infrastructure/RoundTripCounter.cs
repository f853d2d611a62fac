using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Fractal.Benchmarks.Infrastructure;

/// <summary>
/// Counts storage round trips (HTTP requests the Azure SDK sends) per served request: a pipeline policy in
/// the Table client sees every request, and the request's trace says whose it is. The request's flow does not reach
/// its function (the standalone host suppresses it, as the worker's invocation runs in the host's flow), its trace
/// does: <see cref="Begin"/> starts an activity for the tagged request, and the invocation's activity is its child.
/// Background work (batched audit flushes) runs outside any scope and is counted apart.
/// </summary>
public sealed class RoundTripCounter : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, Scope> _byOperation = new();
    private readonly ConcurrentDictionary<ActivityTraceId, Scope> _byTrace = new();
    private long _outsideRequests;

    static RoundTripCounter()
    {
        // The standalone host starts invocation activities only for a listener, as the worker does.
        ActivitySource.AddActivityListener(new ActivityListener
        {
            ShouldListenTo = source => source.Name == Fractal.Functions.Hosting.Standalone.StandaloneHost.InvocationSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        });
    }

    public sealed class Scope
    {
        private readonly ConcurrentQueue<string> _calls = new();
        public int Count => _calls.Count;
        public IReadOnlyList<string> Calls => _calls.ToArray();
        internal void Add(string call) => _calls.Enqueue(call);
    }

    public long OutsideRequests => Interlocked.Read(ref _outsideRequests);

    /// <summary>Starts counting for the served request tagged <paramref name="operation"/>, until the returned activity ends.</summary>
    public IDisposable Begin(string operation)
    {
        var scope = new Scope();
        _byOperation[operation] = scope;
        var activity = new Activity("bench request").SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom()).Start();
        _byTrace[activity.TraceId] = scope;
        return new Ending(() => { _byTrace.TryRemove(activity.TraceId, out _); activity.Dispose(); });
    }

    private sealed class Ending(Action end) : IDisposable
    {
        public void Dispose() => end();
    }

    public Scope? Find(string operation) => _byOperation.TryGetValue(operation, out var s) ? s : null;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Record(HttpMessage message)
    {
        var path = message.Request.Uri.Path;
        var call = $"{message.Request.Method} {path[(path.IndexOf('/', 1) + 1)..]}";
        if (Activity.Current is { } activity && _byTrace.TryGetValue(activity.TraceId, out var scope)) scope.Add(call);
        else Interlocked.Increment(ref _outsideRequests);
    }
}
