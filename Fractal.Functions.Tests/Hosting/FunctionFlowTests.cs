using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Tests.Hosting;

/// <summary>
/// Under the Functions host a function body runs in the flow of the host's invocation (gRPC), not of the HTTP request:
/// nothing ASP.NET Core set for the request reaches it (toolchain-notes.md, "Checked under the real Functions host").
/// The standalone host invokes functions the same way, so code that reads the request ambiently fails here first.
/// </summary>
public sealed class FunctionFlowTests
{
    private static readonly AsyncLocal<string?> SetByAspNetCore = new();
    private const string Marker = "set by an ASP.NET Core middleware";

    [Fact]
    public async Task Inside_a_function_and_inside_an_mcp_tool_nothing_from_the_http_requests_flow_is_visible()
    {
        var seen = new ConcurrentQueue<Observation>();
        await using var app = await TestApp.StartAsync(services: s =>
        {
            s.AddHttpContextAccessor();
            s.AddSingleton<IStartupFilter>(new MarkRequestFlow(seen));
            s.AddSingleton<ILoggerProvider>(sp => new FlowObservingLogs(seen, sp));
            ObserveCalls<ISearchService>(s, "search tool", seen);
        });
        var tenant = await TestTenant.CreateAsync(app);
        var token = (await OAuthFlow.TokensAsync(app, tenant, tenant.Admin))["access_token"]!.GetValue<string>();

        using var response = await CallSearchAsync(app, token);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("\"isError\":true", body);
        Assert.Contains(seen, o => o.Where == "middleware" && o.Marker == Marker && o.HasHttpContext); // the control
        var function = Assert.Single(seen, o => o.Where == "function Fractal.Functions.Mcp.McpFunction");
        var tool = Assert.Single(seen, o => o.Where == "search tool");
        foreach (var inside in new[] { function, tool })
        {
            Assert.Null(inside.Marker);
            Assert.False(inside.HasHttpContext, $"IHttpContextAccessor reached the request in the {inside.Where}");
        }
    }

    private static Task<HttpResponseMessage> CallSearchAsync(TestApp app, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp/oauth/fractal-one")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","arguments":{"query":"compresor"}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return app.Http.SendAsync(request);
    }

    private sealed record Observation(string Where, string? Marker, bool HasHttpContext);

    private static Observation Observe(string where, IServiceProvider? services) =>
        new(where, SetByAspNetCore.Value, services?.GetService<IHttpContextAccessor>()?.HttpContext is not null);

    /// <summary>An ASP.NET Core middleware, first in the pipeline, that sets an AsyncLocal for the rest of the request.</summary>
    private sealed class MarkRequestFlow(ConcurrentQueue<Observation> seen) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                SetByAspNetCore.Value = Marker;
                seen.Enqueue(Observe("middleware", context.RequestServices));
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>What the function body sees when it opens its log scope (McpFunction does, for every call).</summary>
    private sealed class FlowObservingLogs(ConcurrentQueue<Observation> seen, IServiceProvider services) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);
        public void Dispose() { }

        private sealed class Logger(string category, FlowObservingLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                if (category == "Fractal.Functions.Mcp.McpFunction") owner.Record("function " + category);
                return null;
            }
            public bool IsEnabled(LogLevel logLevel) => false;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) { }
        }

        private void Record(string where) => seen.Enqueue(Observe(where, services));
    }

    /// <summary>Wraps the registered <typeparamref name="T"/> so every call records what it sees of the request's flow.</summary>
    private static void ObserveCalls<T>(IServiceCollection services, string where, ConcurrentQueue<Observation> seen) where T : class
    {
        var original = services.Last(d => d.ServiceType == typeof(T));
        services.Remove(original);
        services.AddSingleton<T>(sp =>
        {
            var inner = (T)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!);
            var proxy = DispatchProxy.Create<T, ObservingProxy<T>>();
            ((ObservingProxy<T>)(object)proxy).Set(inner, () => seen.Enqueue(Observe(where, sp)));
            return proxy;
        });
    }

    public class ObservingProxy<T> : DispatchProxy where T : class
    {
        private T? _inner;
        private Action? _observe;
        internal void Set(T inner, Action observe) => (_inner, _observe) = (inner, observe);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            _observe!();
            try { return targetMethod!.Invoke(_inner, args); }
            catch (TargetInvocationException e) when (e.InnerException is not null) { throw e.InnerException; }
        }
    }
}
