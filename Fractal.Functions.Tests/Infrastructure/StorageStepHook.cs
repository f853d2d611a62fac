using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// Runs something of the test's own just before the k-th storage request of one operation the test calls directly
/// (scoped by an async-local flag, so requests of the app's HTTP handlers pass untouched): a deterministic way to put
/// another request exactly between two steps of an operation, instead of hoping a parallel race lands there.
/// </summary>
public sealed class StorageStepHook : HttpPipelinePolicy
{
    private static readonly AsyncLocal<Step?> Current = new();

    private sealed class Step(int at, Func<Task> action)
    {
        private int _count;
        public bool Fired { get; private set; }

        public async Task BeforeAsync()
        {
            if (Interlocked.Increment(ref _count) != at) return;
            Fired = true;
            await action();
        }
    }

    /// <summary>Adds the hook to a test app's Table client (with the app's own retry settings).</summary>
    public static StorageStepHook AddTo(IServiceCollection services)
    {
        var hook = new StorageStepHook();
        services.AddSingleton(_ =>
        {
            var options = Fractal.Functions.Storage.DependencyClientOptions.ForTables();
            options.AddPolicy(hook, HttpPipelinePosition.PerCall);
            return options;
        });
        return hook;
    }

    /// <summary>Runs <paramref name="operation"/>, doing <paramref name="action"/> before its <paramref name="at"/>-th storage request; false when it made fewer.</summary>
    public static async Task<bool> RunAsync(Func<Task> operation, int at, Func<Task> action)
    {
        var step = new Step(at, action);
        Current.Value = step;
        try { await operation(); }
        finally { Current.Value = null; }
        return step.Fired;
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The app calls storage asynchronously.");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var step = Current.Value;
        if (step is not null)
        {
            Current.Value = null; // the action's own work is not counted
            try { await step.BeforeAsync(); }
            finally { Current.Value = step; }
        }
        await ProcessNextAsync(message, pipeline);
    }
}
