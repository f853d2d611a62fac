using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// Counts the storage round trips (HTTP requests of the Table client) a served request makes: a pipeline
/// policy sees every request, and <see cref="TaggedRequests{T}"/> scopes them to the HTTP request tagged with
/// <see cref="Header"/>. Work outside any tagged request (e.g. deferred audit batches) is not counted.
/// </summary>
public sealed class StorageRoundTrips : HttpPipelinePolicy
{
    public const string Header = "X-Test-Count-Round-Trips";
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _byTag = new();
    private readonly TaggedRequests<ConcurrentQueue<string>> _requests;

    public StorageRoundTrips() =>
        _requests = new TaggedRequests<ConcurrentQueue<string>>(Header, tag => _byTag[tag] = new ConcurrentQueue<string>());

    /// <summary>Adds the counter (and the app's own retry settings) to a test app's services.</summary>
    public static void AddTo(IServiceCollection services)
    {
        var counter = new StorageRoundTrips();
        services.AddSingleton(counter);
        services.AddSingleton<IStartupFilter>(counter._requests);
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
        _requests.Current?.Enqueue($"{message.Request.Method} {path[(path.IndexOf('/', 1) + 1)..]}");
    }
}
