using System.Diagnostics;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Hosting.Standalone;

/// <summary>
/// Turns an <see cref="HttpFunction"/> into a request delegate the way the Functions worker invokes it:
/// <list type="bullet">
/// <item>the invocation runs with the HTTP request's <see cref="ExecutionContext"/> flow suppressed. Under the worker a
/// function body runs in the flow of the host's invocation (gRPC), not of the HTTP request, so nothing set by ASP.NET
/// Core for the request (an <c>AsyncLocal</c>, the HTTP context accessor) is visible there; here neither is, so the
/// tests meet that class of defect before Azure does;</item>
/// <item>what does cross, as under the worker, is the trace context: the invocation's span (<see cref="InvocationSource"/>,
/// when listened to) is the endpoint's span, a child of the request's, as the worker's is of the host's;</item>
/// <item>it has its own service scope and a <see cref="StandaloneFunctionContext"/> (the request reachable through
/// <c>GetHttpContext()</c>), and runs inside the <see cref="WorkerPipeline"/> middleware, as under the host;</item>
/// <item>a new instance of the function class per invocation (constructor injection from the invocation's scope), the
/// trigger parameter bound to the request, <see cref="FunctionContext"/>, the cancellation token and route values
/// bound by parameter name, the result executed.</item>
/// </list>
/// Parameters and results the standalone host cannot supply are rejected when the app starts, not per request.
/// </summary>
internal static class FunctionEndpoint
{
    /// <summary>The standalone host's invocation spans (the worker's own come from "Microsoft.Azure.Functions.Worker").</summary>
    public static readonly ActivitySource InvocationSource = new(StandaloneHost.InvocationSourceName);

    public static RequestDelegate Create(HttpFunction function)
    {
        var method = function.Method;
        var binders = method.GetParameters().Select(p => CreateBinder(function, p)).ToArray();
        var unwrap = CreateResultReader(method);
        var factory = method.IsStatic ? null : ActivatorUtilities.CreateFactory(method.DeclaringType!, Type.EmptyTypes);

        FunctionExecutionDelegate invoke = async functionContext =>
        {
            var context = functionContext.GetHttpContext()!;
            var instance = factory?.Invoke(functionContext.InstanceServices, null);
            var arguments = new object?[binders.Length];
            for (var i = 0; i < binders.Length; i++) arguments[i] = binders[i](functionContext);
            object? returned;
            try
            {
                returned = method.Invoke(instance, arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
            var result = await unwrap(returned);
            if (result is IResult executable) await executable.ExecuteAsync(context);
            if (instance is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else if (instance is IDisposable disposable) disposable.Dispose();
        };
        var pipeline = WorkerPipeline.Wrap(invoke);

        return context =>
        {
            var trace = Activity.Current is { } request ? (request.Id, request.TraceStateString) : (null, null);
            // Suppressed, Task.Run captures no ExecutionContext: the invocation starts from an empty one.
            using (ExecutionContext.SuppressFlow())
                return Task.Run(() => InvokeAsync(pipeline, function, context, trace));
        };
    }

    private static async Task InvokeAsync(FunctionExecutionDelegate pipeline, HttpFunction function, HttpContext context, (string? Parent, string? State) trace)
    {
        // The endpoint's span, as the worker's invocation span is under the host: a server span, child of the request's.
        using var activity = InvocationSource.StartActivity(function.Name, ActivityKind.Server, trace.Parent);
        if (activity is not null)
        {
            activity.TraceStateString = trace.State;
            activity.SetTag("faas.name", function.Name);
            activity.SetTag("faas.trigger", "http");
            activity.SetTag("http.route", "/" + function.Route);
        }
        await using var scope = context.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        await pipeline(new StandaloneFunctionContext(function, context, scope.ServiceProvider, trace.Parent, trace.State));
    }

    private static Func<FunctionContext, object?> CreateBinder(HttpFunction function, ParameterInfo parameter)
    {
        // Compare positions: ParameterInfo instances are not guaranteed to be the same object across GetParameters() calls.
        if (parameter.Position == function.Trigger.Position)
        {
            if (parameter.ParameterType != typeof(HttpRequest))
                throw Unsupported(function, parameter, "the trigger parameter must be HttpRequest");
            return context => context.GetHttpContext()!.Request;
        }
        if (parameter.ParameterType == typeof(CancellationToken)) return context => context.CancellationToken;
        if (parameter.ParameterType == typeof(FunctionContext)) return context => context;
        if (parameter.ParameterType == typeof(string))
        {
            var name = parameter.Name!;
            return context => context.BindingContext.BindingData.TryGetValue(name, out var value) ? value?.ToString() : null;
        }
        throw Unsupported(function, parameter, $"parameters of type {parameter.ParameterType.Name} are not bound");
    }

    private static Func<object?, ValueTask<object?>> CreateResultReader(MethodInfo method)
    {
        var type = method.ReturnType;
        if (type == typeof(void)) return _ => ValueTask.FromResult<object?>(null);
        if (typeof(IResult).IsAssignableFrom(type)) return r => ValueTask.FromResult(r);
        if (type == typeof(Task)) return async r => { await (Task)r!; return null; };
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>) && typeof(IResult).IsAssignableFrom(type.GetGenericArguments()[0]))
        {
            var resultProperty = type.GetProperty(nameof(Task<object>.Result))!;
            return async r => { await (Task)r!; return resultProperty.GetValue(r); };
        }
        throw new InvalidOperationException(
            $"Function {method.DeclaringType?.Name}.{method.Name} returns {type.Name}; functions return IResult, Task<IResult> or Task.");
    }

    private static InvalidOperationException Unsupported(HttpFunction function, ParameterInfo parameter, string why) =>
        new($"Function '{function.Name}' parameter '{parameter.Name}': {why}.");
}
