using System.Diagnostics;
using System.Text.Json;
using Fractal.Functions.Hosting;
using Fractal.Functions.Hosting.Telemetry;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Fractal.Functions.Tests.Hosting;

/// <summary>
/// The app's OpenTelemetry pipeline, observed through in-memory exporters in place of Azure Monitor/OTLP:
/// one connector cycle (a failed sign-in, consent, code exchange, a replayed code, refresh, a reused refresh
/// token, tool calls) must produce the spans, metrics and logs that infra/queries and operators read.
/// The app's meters and activity sources are process-wide, so this runs alone (no other test app emits meanwhile).
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private readonly List<LogRecord> _logs = [];
    private TestApp _app = null!;
    private TestTenant _tenant = null!;
    private readonly List<string> _credentials = [];

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(
            settings: new Dictionary<string, string?>
            {
                ["OAuth:RefreshReuseLeewaySeconds"] = "0",
                // The failed sign-in speaks for a client address through X-Forwarded-For, so it can be looked for in what was exported.
                ["Network:TrustedProxies"] = "127.0.0.1, ::1",
            },
            services: s => s.AddFractalOpenTelemetry(HostingMode.Standalone)
                .WithTracing(t => t.AddInMemoryExporter(_spans))
                .WithMetrics(m => m.AddInMemoryExporter(_metrics))
                .WithLogging(l => l.AddInMemoryExporter(_logs))
                .Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Debug)));
        _tenant = await TestTenant.CreateAsync(_app);
        await RunConnectorCycleAsync();
        _app.Services.GetRequiredService<TracerProvider>().ForceFlush();
        _app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        _app.Services.GetRequiredService<LoggerProvider>().ForceFlush();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task RunConnectorCycleAsync()
    {
        using (var stranger = new BrowserlessSession(_app, forwardedFor: StrangerIp))
            await stranger.SignInAsync(_tenant.Viewer.Email, "not-the-password");

        var tokens = new TokenClient(_app, _tenant.ClientId, _tenant.ClientSecret);
        var code = await OAuthFlow.CodeAsync(_app, _tenant, _tenant.Technician);
        var (_, issued) = await tokens.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri);
        await tokens.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri); // replay: revokes the family

        var code2 = await OAuthFlow.CodeAsync(_app, _tenant, _tenant.Technician);
        var (_, second) = await tokens.ExchangeAsync(code2.Code, code2.Requests.Verifier, code2.RedirectUri);
        var refresh = second!["refresh_token"]!.GetValue<string>();
        var (_, refreshed) = await tokens.RefreshAsync(refresh);
        var accessToken = refreshed!["access_token"]!.GetValue<string>();

        await using (var client = await McpClientAsync(accessToken))
        {
            await client.CallToolAsync("list_work_orders", new Dictionary<string, object?>());
            // A technician may not cancel work orders: a refused call.
            await client.CallToolAsync("cancel_work_order", new Dictionary<string, object?> { ["folio"] = "WO-1", ["reason"] = "test" });
            // A tool error whose text echoes the caller's argument.
            var failed = await client.CallToolAsync("get_work_order", new Dictionary<string, object?> { ["folio"] = UnknownFolio });
            Assert.True(failed.IsError);
        }
        await tokens.RefreshAsync(refresh); // reuse after the (zero) leeway: revokes the family

        _credentials.AddRange([_tenant.ClientSecret, _tenant.Viewer.Password, _tenant.Technician.Password, code.Code, code2.Code, refresh,
            accessToken, issued!["access_token"]!.GetValue<string>(), refreshed["refresh_token"]!.GetValue<string>()]);
    }

    private async Task<McpClient> McpClientAsync(string token) => await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
    {
        Endpoint = new Uri(_app.Issuer() + "/mcp/oauth/fractal-one"),
        TransportMode = HttpTransportMode.StreamableHttp,
        AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
    }));

    private const string StrangerIp = "198.51.100.77";
    private const string UnknownFolio = "OT-99999";

    private IEnumerable<Activity> SpansOfThisTenant => _spans.Where(s => (string?)s.GetTagItem(FractalTelemetry.TenantAttribute) == _tenant.Id.Value);

    [Fact]
    public void Each_tool_call_is_a_span_naming_the_method_the_tool_the_tenant_the_client_the_user_and_the_outcome()
    {
        var call = SpansOfThisTenant.Single(s => (string?)s.GetTagItem(FractalTelemetry.ToolAttribute) == "list_work_orders");
        Assert.Equal(FractalTelemetry.McpSdkName, call.Source.Name);
        Assert.Equal("tools/call", call.GetTagItem(FractalTelemetry.McpMethodAttribute));
        Assert.Equal(_tenant.ClientId, call.GetTagItem(FractalTelemetry.ClientAttribute));
        Assert.Equal(_tenant.Technician.UserId, call.GetTagItem(FractalTelemetry.UserAttribute));
        Assert.Equal("success", call.GetTagItem(FractalTelemetry.OutcomeAttribute));

        var refused = SpansOfThisTenant.Single(s => (string?)s.GetTagItem(FractalTelemetry.ToolAttribute) == "cancel_work_order");
        Assert.Equal("refused", refused.GetTagItem(FractalTelemetry.OutcomeAttribute));
    }

    [Fact]
    public void Each_endpoint_request_is_a_server_span_with_its_route_and_whom_it_served()
    {
        // The endpoint's span is the function's invocation span (under the host the worker's, standalone the host's own),
        // a child of the request's span.
        var token = EndpointSpans("/oauth/token");
        Assert.NotEmpty(token);
        Assert.All(token, s => Assert.Equal(_tenant.ClientId, s.GetTagItem(FractalTelemetry.ClientAttribute)));

        var mcp = EndpointSpans("/mcp/oauth/fractal-one");
        Assert.NotEmpty(mcp);
        Assert.All(mcp, s => Assert.Equal(_tenant.Technician.UserId, s.GetTagItem(FractalTelemetry.UserAttribute)));
        // The SDK's tools/call span is a child of the endpoint's span: one trace per request.
        var call = SpansOfThisTenant.Single(s => (string?)s.GetTagItem(FractalTelemetry.ToolAttribute) == "list_work_orders");
        Assert.Contains(mcp, s => s.TraceId == call.TraceId);
    }

    private List<Activity> EndpointSpans(string route) => SpansOfThisTenant
        .Where(s => s.Kind == ActivityKind.Server && s.Source.Name == Fractal.Functions.Hosting.Standalone.StandaloneHost.InvocationSourceName
            && (string?)s.GetTagItem("http.route") == route)
        .ToList();

    [Fact]
    public void Table_Storage_and_Key_Vault_calls_are_client_spans_inside_the_request_that_made_them()
    {
        var tables = _spans.Where(s => s.Source.Name.StartsWith("Azure.Data.Tables", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(tables);
        var tokenRequest = SpansOfThisTenant.First(s => (string?)s.GetTagItem("http.route") == "/oauth/token");
        Assert.Contains(tables, s => s.TraceId == tokenRequest.TraceId);
        // The first token signs with a key the ring loads from the vault.
        Assert.Contains(_spans, s => s.Source.Name.StartsWith("Azure.Security.KeyVault.Secrets", StringComparison.Ordinal));
    }

    [Fact]
    public void Metrics_count_tokens_by_grant_type_replays_reuses_sign_in_failures_and_tool_calls_by_outcome()
    {
        Assert.Equal(2, Sum("fractal.oauth.tokens_issued", (FractalTelemetry.GrantTypeAttribute, "authorization_code")));
        Assert.Equal(1, Sum("fractal.oauth.tokens_issued", (FractalTelemetry.GrantTypeAttribute, "refresh_token")));
        Assert.Equal(1, Sum("fractal.oauth.code_replays"));
        Assert.Equal(1, Sum("fractal.oauth.refresh_reuses"));
        Assert.Equal(1, Sum("fractal.sign_in.failures", ("fractal.reason", "wrong_password")));
        Assert.Equal(1, Sum("fractal.mcp.tool_calls", (FractalTelemetry.ToolAttribute, "list_work_orders"), (FractalTelemetry.OutcomeAttribute, "success")));
        Assert.Equal(1, Sum("fractal.mcp.tool_calls", (FractalTelemetry.ToolAttribute, "cancel_work_order"), (FractalTelemetry.OutcomeAttribute, "refused")));
    }

    [Fact]
    public void Latency_histograms_cover_tool_calls_token_requests_and_every_endpoint()
    {
        Assert.Equal(3, HistogramCount("fractal.mcp.tool_call.duration"));
        Assert.True(HistogramCount("fractal.oauth.token_request.duration") >= 5); // 3 exchanges + 2 refreshes
        Assert.True(HistogramCount("http.server.request.duration") > 5);
    }

    [Fact]
    public void Logs_are_structured_and_name_the_tenant_consumer_and_user_of_each_tool_call_at_debug_level()
    {
        var call = _logs.Single(l => l.CategoryName == "Fractal.Functions.Mcp.ToolCallAudit" && Attribute(l, "Tool") == "list_work_orders");
        Assert.Equal(_tenant.Id.Value, Attribute(call, "TenantId"));
        Assert.Equal(_tenant.ClientId, Attribute(call, "ClientId"));
        Assert.Equal(_tenant.Technician.UserId, Attribute(call, "UserId"));
        var scoped = new Dictionary<string, object?>();
        call.ForEachScope((scope, _) => { foreach (var (k, v) in scope) scoped[k] = v; }, (object?)null);
        Assert.Equal(_tenant.Id.Value, scoped["TenantId"]);
    }

    [Fact]
    public void No_span_metric_or_log_carries_a_password_secret_code_or_token()
    {
        var exported = new List<string>();
        foreach (var s in _spans) exported.AddRange(s.Tags.Select(t => $"{t.Key}={t.Value}").Append(s.DisplayName));
        foreach (var l in _logs)
        {
            exported.Add(l.FormattedMessage ?? "");
            foreach (var a in l.Attributes ?? []) exported.Add($"{a.Key}={a.Value}");
            l.ForEachScope((scope, _) => { foreach (var a in scope) exported.Add($"{a.Key}={a.Value}"); }, (object?)null);
        }
        foreach (var m in _metrics)
            foreach (ref readonly var p in m.GetMetricPoints())
                foreach (var t in p.Tags) exported.Add($"{t.Key}={t.Value}");

        Assert.True(exported.Count > 100, "the pipeline exported too little to judge");
        foreach (var credential in _credentials)
            Assert.DoesNotContain(exported, e => e.Contains(credential, StringComparison.Ordinal));
    }

    [Fact]
    public void No_span_carries_an_email_a_client_ip_an_email_hash_or_tool_error_text()
    {
        var exported = _spans.SelectMany(s => s.Tags.Select(t => $"{s.Source.Name} {t.Key}={t.Value}")
                .Concat(s.Events.SelectMany(e => e.Tags.Select(t => $"{s.Source.Name} event {e.Name} {t.Key}={t.Value}")))
                .Append($"{s.Source.Name} name={s.DisplayName}")
                .Append($"{s.Source.Name} status={s.StatusDescription}"))
            .ToList();
        var emails = _tenant.Users.Values.Select(u => u.Email).ToList();
        string[] personal = [.. emails, .. emails.Select(Fractal.Functions.Identity.Users.EmailAddress.IndexKey), StrangerIp, UnknownFolio];

        Assert.Contains(exported, e => e.Contains("SignInThrottle", StringComparison.Ordinal)); // the throttle's storage calls were exported
        var leaks = exported.Where(e => personal.Any(p => e.Contains(p, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, "Exported: " + string.Join("\n", leaks.Take(10)));
    }

    private static string? Attribute(LogRecord log, string key) =>
        log.Attributes?.FirstOrDefault(a => a.Key == key).Value?.ToString();

    private long Sum(string metric, params (string Key, string Value)[] tags)
    {
        long total = 0;
        foreach (var m in _metrics.Where(m => m.Name == metric))
            foreach (ref readonly var point in m.GetMetricPoints())
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var t in point.Tags) pointTags[t.Key] = t.Value;
                if (tags.All(t => (string?)pointTags.GetValueOrDefault(t.Key) == t.Value)) total += point.GetSumLong();
            }
        return total;
    }

    private long HistogramCount(string metric)
    {
        long total = 0;
        foreach (var m in _metrics.Where(m => m.Name == metric))
            foreach (ref readonly var point in m.GetMetricPoints())
                total += point.GetHistogramCount();
        return total;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry (process-wide listeners)";
}
