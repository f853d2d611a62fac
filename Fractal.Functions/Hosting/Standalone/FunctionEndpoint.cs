using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Hosting.Standalone;

/// <summary>
/// Turns an <see cref="HttpFunction"/> into a request delegate the way the Functions worker invokes it:
/// a new instance of the function class per invocation (constructor injection from the request scope),
/// the trigger parameter bound to the request, route values bound by parameter name, the result executed.
/// Parameters and results the standalone host cannot supply are rejected when the app starts, not per request.
/// </summary>
internal static class FunctionEndpoint
{
    public static RequestDelegate Create(HttpFunction function)
    {
        var method = function.Method;
        var binders = method.GetParameters().Select(p => CreateBinder(function, p)).ToArray();
        var unwrap = CreateResultReader(method);
        var factory = method.IsStatic ? null : ActivatorUtilities.CreateFactory(method.DeclaringType!, Type.EmptyTypes);

        return async context =>
        {
            var instance = factory?.Invoke(context.RequestServices, null);
            var arguments = new object?[binders.Length];
            for (var i = 0; i < binders.Length; i++) arguments[i] = binders[i](context);
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
    }

    private static Func<HttpContext, object?> CreateBinder(HttpFunction function, ParameterInfo parameter)
    {
        // Compare positions: ParameterInfo instances are not guaranteed to be the same object across GetParameters() calls.
        if (parameter.Position == function.Trigger.Position)
        {
            if (parameter.ParameterType != typeof(HttpRequest))
                throw Unsupported(function, parameter, "the trigger parameter must be HttpRequest");
            return context => context.Request;
        }
        if (parameter.ParameterType == typeof(CancellationToken)) return context => context.RequestAborted;
        if (parameter.ParameterType == typeof(string))
        {
            var name = parameter.Name!;
            return context => context.Request.RouteValues.TryGetValue(name, out var value) ? value?.ToString() : null;
        }
        if (parameter.ParameterType == typeof(FunctionContext))
            throw Unsupported(function, parameter, "FunctionContext exists only under the Functions host; inject services instead");
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
