using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using Fractal.Functions.Hosting.Options;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Fractal.Functions.Hosting.Telemetry;

/// <summary>
/// The OpenTelemetry pipeline: the app's spans and metrics (<see cref="FractalTelemetry"/>), the MCP SDK's
/// tools/call spans, every Table Storage and Key Vault call (the Azure SDK's own spans), the request span
/// of each endpoint (the Functions worker's invocation span under the Functions host, ASP.NET Core's
/// server span standalone) and structured logs. Exporters: Azure Monitor when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set;
/// with neither, no pipeline is built at all, so nothing is exported locally and spans cost nothing.
/// </summary>
public static class TelemetrySetup
{
    // The Azure SDK emits its spans through ActivitySource only behind this switch (Azure.Core's
    // "Azure.Experimental.EnableActivitySource"); their sources are named "Azure.<Package>.<Client>".
    private const string AzureSdkActivitySwitch = "Azure.Experimental.EnableActivitySource";
    private const string AzureSdkSources = "Azure.*";

    public static void AddFractalTelemetry(this IServiceCollection services, IConfiguration configuration, HostingMode mode)
    {
        var options = Read(configuration);
        services.AddOptions<TelemetryOptions>()
            .Configure(o => { o.ApplicationInsightsConnectionString = options.ApplicationInsightsConnectionString; o.OtlpEndpoint = options.OtlpEndpoint; })
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();

        if (!options.ExportsToApplicationInsights && !options.ExportsOverOtlp) return;
        // Exporters parse their settings while the host is built, before start-up validation runs: with an
        // invalid setting build no pipeline, so validation stops the start with a message naming the setting.
        if (new TelemetryOptionsValidator().Validate(null, options).Failed) return;

        var pipeline = services.AddFractalOpenTelemetry(mode);
        if (options.ExportsToApplicationInsights)
        {
            pipeline.UseAzureMonitorExporter(o => o.ConnectionString = options.ApplicationInsightsConnectionString);
            // Application Insights has local authentication off (infra/): ingestion authenticates as the
            // app's managed identity, the same credential that reaches storage and Key Vault.
            services.AddOptions<AzureMonitorExporterOptions>().Configure<TokenCredential>((o, credential) => o.Credential = credential);
        }
        if (options.ExportsOverOtlp) pipeline.UseOtlpExporter();
    }

    /// <summary>
    /// The pipeline without an exporter. Production adds one from the settings; tests add an in-memory one
    /// to observe exactly what production would export.
    /// </summary>
    public static IOpenTelemetryBuilder AddFractalOpenTelemetry(this IServiceCollection services, HostingMode mode)
    {
        AppContext.SetSwitch(AzureSdkActivitySwitch, true);
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("fractal-one-mcp", serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing =>
            {
                tracing.AddSource(FractalTelemetry.Name, FractalTelemetry.McpSdkName, AzureSdkSources);
                // First of the processors, so every exporter added after it sees the redacted span.
                tracing.AddProcessor(new SpanRedaction());
                // Standalone, as under the host: the request's span (here ASP.NET Core's), and under it the function's
                // invocation span (the endpoint's span, which carries whom it served).
                if (mode == HostingMode.Standalone)
                    tracing.AddAspNetCoreInstrumentation(o => o.RecordException = false).AddSource(Standalone.StandaloneHost.InvocationSourceName);
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(FractalTelemetry.Name, FractalTelemetry.McpSdkName);
                if (mode == HostingMode.Standalone) metrics.AddAspNetCoreInstrumentation();
            })
            // Scopes carry the tenant, consumer and user ids the endpoints put on their log scope; messages
            // are templates with ids as structured attributes (never a secret: see docs/observability.md).
            .WithLogging(configureBuilder: null, configureOptions: o => { o.IncludeScopes = true; o.IncludeFormattedMessage = true; });
        // Under the Functions host the worker's invocation span is the endpoint's span, parented to the
        // host's request span, and the resource names the Function App.
        if (mode == HostingMode.FunctionsHost) builder.UseFunctionsWorkerDefaults();
        return builder;
    }

    private static TelemetryOptions Read(IConfiguration configuration) => new()
    {
        ApplicationInsightsConnectionString = configuration[TelemetryOptions.ApplicationInsightsKey],
        OtlpEndpoint = configuration[TelemetryOptions.OtlpEndpointKey],
    };
}
