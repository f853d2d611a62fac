using System.Buffers;
using System.Text.Json;
using Azure.Data.Tables;
using Fractal.Functions.Hosting.Standalone;
using Fractal.Functions.Mcp;
using Fractal.Functions.Mcp.Tools;
using Fractal.Functions.OAuth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Fractal.Functions.Maintenance.Api;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Benchmarks.Infrastructure;

/// <summary>
/// Our app (the standalone host exactly as <c>--standalone</c> builds it, plus the in-memory bench tool) and,
/// on a second port of the same process, the two baselines of issue 13 over the same Azurite:
/// <list type="bullet">
/// <item><c>POST /bare/{tool}</c>: a bare Kestrel endpoint that runs the tool body and writes the JSON-RPC answer as one SSE event;</item>
/// <item><c>POST /sdk</c>: the SDK's own <c>MapMcp</c>, stateless, with the same tools and no auth, permission filter or audit.</item>
/// </list>
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    public required WebApplication App { get; init; }
    public WebApplication? Baselines { get; init; }
    public required string BaseUrl { get; init; }
    public string? BaselineUrl { get; init; }
    public required RoundTripCounter Counter { get; init; }
    /// <summary>Our app again, but with the SDK's per-request options pipeline (the code before issue 13's fix), for before/after in one run.</summary>
    public WebApplication? Before { get; init; }
    public string? BeforeUrl { get; init; }
    /// <summary>Our app again, storing each deferred audit entry as a row of its own (the layout before bundles).</summary>
    public WebApplication? RowPerEntry { get; init; }
    public string? RowPerEntryUrl { get; init; }
    public IServiceProvider Services => App.Services;
    public string McpUrl => BaseUrl + OAuthResources.McpPath;

    public static async Task<BenchHost> StartAsync(Azurite azurite, string workFolder, bool baselines = false, bool before = false, string? publicUrl = null)
    {
        var counter = new RoundTripCounter();
        var baseUrl = publicUrl ?? $"http://127.0.0.1:{FreePort.Next()}";
        var app = Build(Settings(azurite, workFolder, baseUrl), counter, isBaseline: false);
        app.Use(async (context, next) =>
        {
            // Round trips are counted per request tagged by the benchmark (X-Bench-Op); untagged requests are not scoped.
            using var counting = context.Request.Headers["X-Bench-Op"].ToString() is { Length: > 0 } op ? counter.Begin(op) : null;
            await next(context);
        });
        await app.StartAsync();

        WebApplication? baselineApp = null;
        string? baselineUrl = null;
        if (baselines)
        {
            baselineUrl = $"http://127.0.0.1:{FreePort.Next()}";
            baselineApp = Build(Settings(azurite, workFolder, baselineUrl), new RoundTripCounter(), isBaseline: true);
            await baselineApp.StartAsync();
        }
        WebApplication? beforeApp = null, rowPerEntryApp = null;
        string? beforeUrl = null, rowPerEntryUrl = null;
        if (before)
        {
            // Same issuer and resource as the main app, so its tokens are valid in both.
            var settings = Settings(azurite, workFolder, baseUrl);
            beforeUrl = $"http://127.0.0.1:{FreePort.Next()}";
            beforeApp = Build(settings, new RoundTripCounter(), isBaseline: false, urls: beforeUrl, optionsPerRequest: true);
            await beforeApp.StartAsync();
            rowPerEntryUrl = $"http://127.0.0.1:{FreePort.Next()}";
            rowPerEntryApp = Build(settings, new RoundTripCounter(), isBaseline: false, urls: rowPerEntryUrl);
            rowPerEntryApp.Services.GetRequiredService<Fractal.Functions.Audit.DeferredAuditWriter>().OneRowPerEntry = true;
            await rowPerEntryApp.StartAsync();
        }
        return new BenchHost
        {
            App = app, Baselines = baselineApp, BaseUrl = baseUrl, BaselineUrl = baselineUrl, Counter = counter, Before = beforeApp, BeforeUrl = beforeUrl,
            RowPerEntry = rowPerEntryApp, RowPerEntryUrl = rowPerEntryUrl,
        };
    }

    public static Dictionary<string, string?> Settings(Azurite azurite, string workFolder, string baseUrl) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
        ["Storage:ConnectionString"] = azurite.ConnectionString,
        ["Secrets:Provider"] = "Development",
        ["Secrets:DevelopmentFilePath"] = Path.Combine(workFolder, "dev-secrets.json"),
        ["Fractal:PublicBaseUrl"] = baseUrl,
        // The benchmarks measure throughput from one client address and one grant: every request limit is lifted
        // (the limiter itself still runs, so its cost is measured).
        ["RateLimits:SignInPerIpPerMinute"] = "1000000",
        ["RateLimits:AuthorizePerIpPerMinute"] = "1000000",
        ["RateLimits:TokenPerIpPerMinute"] = "1000000",
        ["RateLimits:TokenPerConsumerPerMinute"] = "1000000",
        ["RateLimits:ToolCallsPerGrantPerMinute"] = "1000000",
    };

    private static WebApplication Build(Dictionary<string, string?> settings, RoundTripCounter counter, bool isBaseline, string? urls = null, bool optionsPerRequest = false)
    {
        var builder = StandaloneHost.CreateBuilder(["--standalone", "--urls", urls ?? settings["Fractal:PublicBaseUrl"]!, "--environment", "Development"], settings);
        if (optionsPerRequest)
            builder.Services.Replace(ServiceDescriptor.Singleton<IOptionsFactory<McpServerOptions>, OptionsFactory<McpServerOptions>>());
        builder.Logging.ClearProviders();
        // The app's own retry settings (longer tries, below), plus the counting policy (per retry: every attempt is a round trip).
        builder.Services.AddSingleton(_ =>
        {
            var options = Fractal.Functions.Storage.DependencyClientOptions.ForTables();
            // 10 s per try, not the app's 5 s, as before: under full load on the shared cores a timed-out try would be
            // retried and counted as one more round trip.
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
            options.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerRetry);
            options.AddPolicy(new AuditBatchStub(), Azure.Core.HttpPipelinePosition.PerRetry);
            return options;
        });
        builder.Services.AddMcpServer().WithTools([typeof(BenchTools)], ToolResults.Json);
        if (!isBaseline) return StandaloneHost.Build(builder);

        // Baseline (b): the same tools with no filters; schemas compacted once at start (our PostConfigure would redo it per request).
        var ours = builder.Services.Where(d => d.ServiceType == typeof(IPostConfigureOptions<McpServerOptions>)
            && d.ImplementationInstance is PostConfigureOptions<McpServerOptions> p && p.Action?.Method.DeclaringType?.Assembly == typeof(McpServerSetup).Assembly).ToList();
        foreach (var d in ours) builder.Services.Remove(d);
        builder.Services.PostConfigure<McpServerOptions>(o =>
        {
            o.Filters.Request.CallToolFilters.Clear();
            o.Filters.Request.ListToolsFilters.Clear();
        });
        var app = builder.Build();
        foreach (var tool in app.Services.GetServices<McpServerTool>())
        {
            tool.ProtocolTool.InputSchema = ToolSchemas.CompactInput(tool.ProtocolTool.InputSchema);
            if (tool.ProtocolTool.OutputSchema is { } schema) tool.ProtocolTool.OutputSchema = ToolSchemas.Compact(schema);
        }
        app.UseRouting();
        // No authentication: the tools read the tenant from the principal, so every request gets the same fixed one.
        app.Use((context, next) =>
        {
            context.User = BaselinePrincipal.Value ?? throw new InvalidOperationException("Set BenchHost.BaselinePrincipal first.");
            return next(context);
        });
        app.MapMcp("/sdk");
        app.MapPost("/bare/get_work_order", async (HttpContext context, IWorkOrderService workOrders, IPeopleService people, ITenantSettingsService settings, TimeProvider time) =>
            await WriteSseAsync(context, await WorkOrderTools.GetWorkOrder(workOrders, people, settings, time, BareFolio!, context.User, context.RequestAborted)));
        app.MapPost("/bare/list_work_orders", async (HttpContext context, IWorkOrderService workOrders, IPeopleService people, ITenantSettingsService settings, TimeProvider time) =>
            await WriteSseAsync(context, await WorkOrderTools.ListWorkOrders(workOrders, people, settings, time, user: context.User, cancellationToken: context.RequestAborted)));
        app.MapPost("/bare/bench_echo", (HttpContext context) => WriteSseAsync(context, BenchTools.Result("hello")));
        return app;
    }

    /// <summary>The principal baseline requests run as (our endpoint would derive it from the token).</summary>
    public static readonly StrongBox<System.Security.Claims.ClaimsPrincipal?> BaselinePrincipal = new(null);
    public static string? BareFolio;

    private static async Task WriteSseAsync(HttpContext context, CallToolResult result)
    {
        // Drain the request as any endpoint must, then answer as the SDK does: one SSE "message" event.
        await context.Request.Body.CopyToAsync(Stream.Null);
        var response = new JsonRpcResponse { Id = new RequestId(1), Result = JsonSerializer.SerializeToNode(result, McpJsonUtilities.DefaultOptions) };
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache,no-store";
        var body = context.Response.BodyWriter;
        body.Write("event: message\ndata: "u8);
        await using (var writer = new Utf8JsonWriter(body)) JsonSerializer.Serialize(writer, (JsonRpcMessage)response, McpJsonUtilities.DefaultOptions);
        body.Write("\n\n"u8);
        await body.FlushAsync();
    }

    /// <summary>Writes the audit entries still queued by our apps.</summary>
    public async Task FlushAuditAsync()
    {
        foreach (var app in new[] { App, Before, RowPerEntry }.OfType<WebApplication>())
            await app.Services.GetRequiredService<Fractal.Functions.Audit.DeferredAuditWriter>().FlushAsync();
    }

    /// <summary>Writes the audit entries still queued, then empties the AuditLog table (between load runs).</summary>
    public async Task ResetAuditAsync()
    {
        await FlushAuditAsync();
        var tables = App.Services.GetRequiredService<TableServiceClient>();
        await tables.DeleteTableAsync(Fractal.Functions.Storage.TableNames.AuditLog);
        await tables.CreateTableIfNotExistsAsync(Fractal.Functions.Storage.TableNames.AuditLog);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (Baselines is not null)
        {
            await Baselines.StopAsync();
            await Baselines.DisposeAsync();
        }
        foreach (var other in new[] { Before, RowPerEntry }.OfType<WebApplication>())
        {
            await other.StopAsync();
            await other.DisposeAsync();
        }
    }
}

public sealed class StrongBox<T>(T value)
{
    public T Value { get; set; } = value;
}
