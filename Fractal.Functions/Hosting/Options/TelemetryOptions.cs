namespace Fractal.Functions.Hosting.Options;

/// <summary>
/// Where telemetry goes. Both settings use the names the OpenTelemetry and Azure Monitor exporters
/// themselves document, at the configuration root (no section). With neither set nothing is exported
/// and no telemetry pipeline is built (docs/observability.md).
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary><c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>: export traces, metrics and logs to Application Insights.</summary>
    public const string ApplicationInsightsKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary><c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: export traces, metrics and logs over OTLP to this collector.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public string? ApplicationInsightsConnectionString { get; set; }

    public string? OtlpEndpoint { get; set; }

    public bool ExportsToApplicationInsights => !string.IsNullOrWhiteSpace(ApplicationInsightsConnectionString);

    public bool ExportsOverOtlp => !string.IsNullOrWhiteSpace(OtlpEndpoint);
}
