using System.Collections.Concurrent;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// Cuts storage between two writes of one operation: a pipeline policy in both the Table client and the
/// SecretClient numbers the dependency requests an HTTP request makes (tagged with <see cref="Header"/>, scoped
/// as <see cref="StorageRoundTrips"/> scopes them) and makes the k-th one fail as an outage does. The policy sits
/// before the SDK's retry policy (<see cref="HttpPipelinePosition.PerCall"/>), so "request k" is one logical call
/// with all its retries. Two kinds of cut (<see cref="Cut"/>): the request never reaches storage ("storage gone
/// after request k-1"), or it is carried out and its answer is lost (a timeout or reset after storage acted).
/// Requests of untagged HTTP requests (setup, checks, deferred audit batches) pass untouched.
/// </summary>
public sealed class StorageFaultInjector : HttpPipelinePolicy
{
    public const string Header = "X-Test-Storage-Fault";
    private readonly ConcurrentDictionary<string, Plan> _byTag = new();
    private readonly TaggedRequests<Plan> _requests;

    public StorageFaultInjector() => _requests = new TaggedRequests<Plan>(Header, tag => _byTag.GetValueOrDefault(tag));

    public enum Cut
    {
        /// <summary>Request k fails before it reaches storage: nothing of it happens.</summary>
        BeforeRequest,
        /// <summary>Request k is carried out by storage, then its answer is lost: it happened, the app cannot know.</summary>
        AnswerLost,
    }

    /// <summary>What one tagged request did: its dependency calls in order ("table GET Consumers", "vault PUT secrets").</summary>
    public sealed class Plan(int failAt, Cut cut)
    {
        private int _count;
        public int FailAt { get; } = failAt;
        public Cut Kind { get; } = cut;
        public ConcurrentQueue<string> Calls { get; } = new();

        /// <summary>Records the call and says whether it is the one to fail.</summary>
        internal bool Next(string call)
        {
            Calls.Enqueue(call);
            return Interlocked.Increment(ref _count) == FailAt;
        }
    }

    /// <summary>
    /// Adds the injector to a test app: the Table client with the app's own retry settings, and the secret client
    /// of <paramref name="vault"/>, both with the policy.
    /// </summary>
    public static StorageFaultInjector AddTo(IServiceCollection services, FakeKeyVault vault)
    {
        var injector = new StorageFaultInjector();
        services.AddSingleton(injector);
        services.AddSingleton<IStartupFilter>(injector._requests);
        services.AddSingleton(_ =>
        {
            var options = Fractal.Functions.Storage.DependencyClientOptions.ForTables();
            options.AddPolicy(injector, HttpPipelinePosition.PerCall);
            return options;
        });
        services.AddSingleton(_ =>
        {
            var options = vault.ClientOptions();
            options.AddPolicy(injector, HttpPipelinePosition.PerCall);
            return options;
        });
        return injector;
    }

    /// <summary>
    /// The header value for a request: a fresh tag that fails its <paramref name="failAt"/>-th dependency call
    /// (0: none, only count). Read the calls afterwards with <see cref="Of"/>.
    /// </summary>
    public string Arm(int failAt, Cut cut = Cut.BeforeRequest)
    {
        var tag = Guid.NewGuid().ToString("N");
        _byTag[tag] = new Plan(failAt, cut);
        return tag;
    }

    public IReadOnlyList<string> Of(string tag) => _byTag.TryGetValue(tag, out var plan) ? plan.Calls.ToArray() : [];

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var plan = Planned(message);
        if (plan?.Kind == Cut.BeforeRequest) throw Unavailable();
        ProcessNext(message, pipeline);
        if (plan is not null) throw AnswerLost();
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var plan = Planned(message);
        if (plan?.Kind == Cut.BeforeRequest) throw Unavailable();
        await ProcessNextAsync(message, pipeline);
        if (plan is not null) throw AnswerLost();
    }

    /// <summary>The plan when this call is the one to cut, else null.</summary>
    private Plan? Planned(HttpMessage message) =>
        _requests.Current is { } plan && plan.Next(Describe(message.Request)) ? plan : null;

    // What the SDK throws when storage answers 503 Server Busy on every try.
    private static RequestFailedException Unavailable() => new(503, "Injected outage: storage cut before this request.", "ServerBusy", null);

    // What the SDK throws when the connection drops before the answer arrives (status 0: no answer).
    private static RequestFailedException AnswerLost() =>
        new(0, "Injected outage: the answer was lost after storage carried out the request.", null, new IOException("Connection reset by peer"));

    /// <summary>"table GET Consumers", "table POST $batch", "vault PUT secrets": the verb and the table or collection.</summary>
    private static string Describe(Request request)
    {
        var path = request.Uri.Path.Trim('/');
        var segments = path.Split('/');
        var isVault = request.Uri.Port != -1 && !path.StartsWith("devstoreaccount1", StringComparison.Ordinal);
        var name = isVault ? segments[0] : (segments.Length > 1 ? segments[1] : segments[0]).Split('(', '?')[0];
        return $"{(isVault ? "vault" : "table")} {request.Method} {name}";
    }
}
