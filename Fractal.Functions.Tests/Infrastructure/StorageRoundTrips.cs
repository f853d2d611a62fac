using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// Counts the storage round trips (HTTP requests of the Table client) a served request makes: a pipeline
/// policy sees every request, and a middleware scopes them to the HTTP request tagged with
/// <see cref="Header"/>. Work outside any tagged request (e.g. deferred audit batches) is not counted.
/// </summary>
public sealed class StorageRoundTrips : HttpPipelinePolicy, IStartupFilter
{
    public const string Header = "X-Test-Count-Round-Trips";
    private static readonly AsyncLocal<ConcurrentQueue<string>?> Current = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _byTag = new();

    /// <summary>Adds the counter (and the app's own retry settings) to a test app's services.</summary>
    public static void AddTo(IServiceCollection services)
    {
        var counter = new StorageRoundTrips();
        services.AddSingleton(counter);
        services.AddSingleton<IStartupFilter>(counter);
        services.AddSingleton(_ =>
        {
            var options = Fractal.Functions.Storage.DependencyClientOptions.ForTables();
            // 10 s per try, not the app's 5 s, as before: on the suite's busy shared emulator a timed-out try would be
            // retried, and the retry counted as one more round trip of the request under test.
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
            options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
            return options;
        });
    }

    /// <summary>The round trips of the request tagged <paramref name="tag"/> ("GET Table(...)", "POST $batch", ...).</summary>
    public IReadOnlyList<string> Of(string tag) => _byTag.TryGetValue(tag, out var calls) ? calls.ToArray() : [];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (context.Request.Headers[Header].ToString() is { Length: > 0 } tag) Current.Value = _byTag[tag] = new ConcurrentQueue<string>();
            await nextMiddleware(context);
        });
        next(app);
    };

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

    private static void Record(HttpMessage message)
    {
        var path = message.Request.Uri.Path;
        Current.Value?.Enqueue($"{message.Request.Method} {path[(path.IndexOf('/', 1) + 1)..]}");
    }
}
