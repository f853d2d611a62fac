using System.Text;
using BenchmarkDotNet.Attributes;
using Fractal.Benchmarks.Infrastructure;
using Fractal.Functions.Mcp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Server;

namespace Fractal.Benchmarks.Cases;

/// <summary>
/// Issue 13 case 1, the in-memory bar ("beat MapMcp by building the per-request server more cheaply"): how much of the
/// SDK's stateless per-request cost is building the server at all. In process, no Kestrel, no storage, the SDK alone
/// (the in-memory bench tool, no auth, no filters): (1) the SDK's stateless POST handler — what <c>MapMcp</c> runs and
/// what our endpoint calls — answering one tools/call; (2) only what any per-request server costs through the public
/// API: a stateless transport, <c>McpServer.Create</c>, its run loop started and both disposed. (2) ÷ (1) bounds what
/// any cheaper construction (a pool of servers, say) could save per call. (3) is our endpoint in process for the same
/// call (the app over Azurite, a real token; audit batches acknowledged in process by <see cref="AuditBatchStub"/>,
/// so the emulator's partition scans stay out): (3) − (1) is what our own per-call work costs. (5) is the part of it
/// that is the call's audit entry, stored several to a row (AuditBundles); (6) the same entry stored as a row of its own,
/// as before bundles (the Azure SDK builds each row of a batch transaction as a sub-request).
/// </summary>
[MemoryDiagnoser]
public class ServerBuildBenchmarks
{
    private WebApplication _app = null!;
    private InProcessApp _ours = null!;
    private McpFunction _endpoint = null!;
    private IServiceProvider _services = null!;
    private McpServerOptions _options = null!;
    private McpServerOptions _ourOptions = null!;
    private RequestDelegate _handler = null!;
    private Functions.Audit.AuditLog _audit = null!;
    private Functions.Identity.TenantId _tenant;
    private const int AuditRows = 100;
    private static readonly Functions.Audit.AuditEntry ReadCall = new("tool_call", Functions.Audit.AuditOutcome.Success, "user-1", "client-1",
        "text=hello", Tool: BenchTools.EchoName, DurationMs: 0);
    private static readonly byte[] Call = Encoding.UTF8.GetBytes(
        $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{{\"name\":\"{BenchTools.EchoName}\",\"arguments\":{{\"text\":\"hello\"}}}}}}");

    public static int Run(string[] args) => InProcessBenchmarks.Run<ServerBuildBenchmarks>("Per-request server share of the SDK's stateless tools/call",
        "share of the handler", (r, summary) => $"{(r.ResultStatistics?.Mean ?? double.NaN) / InProcessBenchmarks.MeanOf(summary, nameof(SdkHandlerToolsCall)):P0}");

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _ours = await InProcessApp.StartAsync();
        _tenant = _ours.Plant.Tenant;
        _audit = _ours.Host.Services.GetRequiredService<Functions.Audit.AuditLog>();
        _endpoint = ActivatorUtilities.CreateInstance<McpFunction>(_ours.Host.Services);
        _ourOptions = _ours.Host.Services.GetRequiredService<IOptionsFactory<McpServerOptions>>().Create(Options.DefaultName);
        AuditBatchStub.Enabled = true;

        // A web application's services (host lifetime, routing, logging), never started: no Kestrel.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer().WithHttpTransport(o => o.SessionMode = HttpServerSessionMode.Stateless).WithTools([typeof(BenchTools)]);
        _app = builder.Build();
        _services = _app.Services;
        _options = _services.GetRequiredService<IOptionsFactory<McpServerOptions>>().Create(Options.DefaultName);
        _options.ScopeRequests = false;
        _handler = new SdkMcpEndpoint(_services).HandlePostAsync;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        AuditBatchStub.Enabled = false;
        await _app.DisposeAsync();
        await _ours.DisposeAsync();
    }

    [Benchmark(Description = "(1) SDK stateless POST handler: one tools/call of the in-memory tool")]
    public async Task SdkHandlerToolsCall()
    {
        var context = ToolsCall(new DefaultHttpContext { RequestServices = _services });
        await _handler(context);
        Answered(context);
    }

    [Benchmark(Description = "(3) our endpoint (McpFunction): token, limiter, filters, audit entry, then the SDK handler")]
    public async Task OurEndpointToolsCall()
    {
        var context = ToolsCall(_ours.McpRequest());
        await _endpoint.Run(context.Request);
        Answered(context);
    }

    /// <summary>The request made a tools/call of the in-memory tool: method, MCP headers, body; a response body to read.</summary>
    private static DefaultHttpContext ToolsCall(DefaultHttpContext context)
    {
        context.Request.Method = HttpMethods.Post;
        context.Request.Headers.Accept = "application/json, text/event-stream";
        context.Request.ContentType = "application/json";
        context.Request.Headers["MCP-Protocol-Version"] = "2025-06-18";
        context.Request.Body = new MemoryStream(Call, writable: false);
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static void Answered(HttpContext context)
    {
        var body = (MemoryStream)context.Response.Body;
        if (context.Response.StatusCode != 200 || !Encoding.UTF8.GetString(body.ToArray()).Contains("hello", StringComparison.Ordinal))
            throw new InvalidOperationException($"The endpoint answered {context.Response.StatusCode}: {Encoding.UTF8.GetString(body.ToArray())}");
    }

    [Benchmark(Description = "(5) the audit entry of one successful read call: built, queued, bundled, sent (100 entries; acknowledged in process)",
        OperationsPerInvoke = AuditRows)]
    public async Task AuditRowOfAReadCall()
    {
        for (var i = 0; i < AuditRows; i++) await _audit.DeferAsync(_tenant, ReadCall);
        await _audit.FlushDeferredAsync();
    }

    [Benchmark(Description = "(6) the same, one row per entry (the layout before bundles)", OperationsPerInvoke = AuditRows)]
    public async Task AuditRowOfAReadCallOneRowPerEntry()
    {
        var writer = _ours.Host.Services.GetRequiredService<Functions.Audit.DeferredAuditWriter>();
        writer.OneRowPerEntry = true;
        try
        {
            await AuditRowOfAReadCall();
        }
        finally
        {
            writer.OneRowPerEntry = false;
        }
    }

    [Benchmark(Description = "(2) per-request server only: stateless transport + McpServer.Create + run loop + dispose")]
    public Task ServerCreateRunDispose() => CreateRunDisposeAsync(_options, _services);

    [Benchmark(Description = "(4) the same with our server options (every tool, our filters; built once)")]
    public Task OurServerCreateRunDispose() => CreateRunDisposeAsync(_ourOptions, _ours.Host.Services);

    private static async Task CreateRunDisposeAsync(McpServerOptions options, IServiceProvider services)
    {
        var transport = new StreamableHttpServerTransport(NullLoggerFactory.Instance) { Stateless = true };
        var server = McpServer.Create(transport, options, NullLoggerFactory.Instance, services);
        var run = server.RunAsync();
        await transport.DisposeAsync();
        await run;
        await server.DisposeAsync();
    }
}
