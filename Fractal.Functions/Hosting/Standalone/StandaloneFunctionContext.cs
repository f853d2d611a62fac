using System.Collections;
using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Hosting.Standalone;

/// <summary>
/// The <see cref="FunctionContext"/> of one invocation on the standalone host, shaped like the worker's: its own
/// service scope (<see cref="InstanceServices"/>, not the ASP.NET Core request's), and the <see cref="HttpContext"/>
/// under the same <see cref="Items"/> key the worker's ASP.NET Core integration uses, so
/// <c>FunctionContext.GetHttpContext()</c> works on both hosts. It is the only way code reaches the request besides
/// the function's own parameters.
/// </summary>
internal sealed class StandaloneFunctionContext : FunctionContext
{
    /// <summary>The key under which the worker's ASP.NET Core integration keeps the request (read by <c>GetHttpContext()</c>).</summary>
    internal const string HttpContextKey = "HttpRequestContext";

    public StandaloneFunctionContext(HttpFunction function, HttpContext http, IServiceProvider instanceServices, string? traceParent, string? traceState)
    {
        FunctionDefinition = new Definition(function);
        InstanceServices = instanceServices;
        CancellationToken = http.RequestAborted;
        Items = new Dictionary<object, object> { [HttpContextKey] = http };
        BindingContext = new Bindings(http.Request.RouteValues.ToDictionary(v => v.Key, v => v.Value, StringComparer.OrdinalIgnoreCase));
        TraceContext = new Trace(traceParent ?? "", traceState ?? "");
    }

    public override string InvocationId { get; } = Guid.NewGuid().ToString();
    public override string FunctionId => FunctionDefinition.Id;
    public override TraceContext TraceContext { get; }
    public override BindingContext BindingContext { get; }
    public override IServiceProvider InstanceServices { get; set; }
    public override FunctionDefinition FunctionDefinition { get; }
    public override IDictionary<object, object> Items { get; set; }
    public override IInvocationFeatures Features { get; } = new FeatureSet();
    public override CancellationToken CancellationToken { get; }
    public override RetryContext RetryContext => throw new NotSupportedException("HTTP triggers have no retry context.");

    private sealed class Definition(HttpFunction function) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];
        public override string PathToAssembly => function.Method.DeclaringType!.Assembly.Location;
        public override string EntryPoint => $"{function.Method.DeclaringType!.FullName}.{function.Method.Name}";
        public override string Id => function.Name;
        public override string Name => function.Name;
        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }

    private sealed class Bindings(IReadOnlyDictionary<string, object?> data) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData => data;
    }

    private sealed class Trace(string traceParent, string traceState) : TraceContext
    {
        public override string TraceParent => traceParent;
        public override string TraceState => traceState;
    }

    private sealed class FeatureSet : IInvocationFeatures
    {
        private readonly Dictionary<Type, object> _features = [];
        public void Set<T>(T instance) { if (instance is null) _features.Remove(typeof(T)); else _features[typeof(T)] = instance; }
        public T? Get<T>() => _features.TryGetValue(typeof(T), out var feature) ? (T)feature : default;
        public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => _features.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
