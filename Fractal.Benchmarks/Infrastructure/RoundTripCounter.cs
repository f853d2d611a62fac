using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Fractal.Benchmarks.Infrastructure;

/// <summary>
/// Counts storage round trips (HTTP requests the Azure SDK sends) per served request: a pipeline policy in
/// the Table client sees every request, and the request-path scope (an AsyncLocal set by a middleware) says
/// whose it is. Background work (batched audit flushes) runs outside any scope and is counted apart.
/// </summary>
public sealed class RoundTripCounter : HttpPipelinePolicy
{
    private static readonly AsyncLocal<Scope?> Current = new();
    private readonly ConcurrentDictionary<string, Scope> _byOperation = new();
    private long _outsideRequests;

    public sealed class Scope
    {
        private readonly ConcurrentQueue<string> _calls = new();
        public int Count => _calls.Count;
        public IReadOnlyList<string> Calls => _calls.ToArray();
        internal void Add(string call) => _calls.Enqueue(call);
    }

    public long OutsideRequests => Interlocked.Read(ref _outsideRequests);

    /// <summary>Starts counting for the served request tagged <paramref name="operation"/>.</summary>
    public Scope Begin(string operation)
    {
        var scope = new Scope();
        _byOperation[operation] = scope;
        Current.Value = scope;
        return scope;
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
        if (Current.Value is { } scope) scope.Add(call);
        else Interlocked.Increment(ref _outsideRequests);
    }
}
