using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Hosting;

/// <summary>
/// The worker middleware every function runs inside, outermost first: the one list both hosts use. Under the Functions
/// host it follows the worker's own ASP.NET Core proxying middleware; standalone, <c>FunctionEndpoint</c> runs it around
/// each function in the function's own flow, with a <c>FunctionContext</c> like the worker's.
/// </summary>
public static class WorkerPipeline
{
    public static readonly IReadOnlyList<Type> Middleware =
    [
        // A dependency outage becomes a 503 in each endpoint's own format, never a 500 (Hosting/Faults).
        typeof(Faults.OutageWorkerMiddleware),
    ];

    public static IServiceCollection AddWorkerPipeline(this IServiceCollection services)
    {
        foreach (var type in Middleware) services.AddSingleton(type);
        return services;
    }

    /// <summary>Under the Functions host: the same middleware, resolved as the worker's own <c>UseMiddleware&lt;T&gt;</c> does.</summary>
    public static void UseWorkerPipeline(this IFunctionsWorkerApplicationBuilder builder)
    {
        foreach (var type in Middleware)
            builder.Use(next => context => Resolve(context.InstanceServices, type).Invoke(context, next));
    }

    /// <summary>Standalone: the function wrapped in the same middleware, in the same order.</summary>
    public static FunctionExecutionDelegate Wrap(FunctionExecutionDelegate function) =>
        Middleware.Reverse().Aggregate(function, (next, type) => context => Resolve(context.InstanceServices, type).Invoke(context, next));

    private static IFunctionsWorkerMiddleware Resolve(IServiceProvider services, Type type) =>
        (IFunctionsWorkerMiddleware)services.GetRequiredService(type);
}
