using System.Diagnostics;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Tests.Hosting;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Storage:ConnectionString", "", "Storage:ConnectionString")]
    [InlineData("Secrets:Provider", "Vault", "Secrets:Provider")]
    [InlineData("KeyVault:Uri", "", "KeyVault:Uri")]
    [InlineData("KeyVault:Uri", "http://vault.example", "KeyVault:Uri")]
    [InlineData("Fractal:PublicBaseUrl", "", "Fractal:PublicBaseUrl")]
    [InlineData("Fractal:PublicBaseUrl", "https://fractal.example/", "Fractal:PublicBaseUrl")]
    [InlineData("Fractal:PublicBaseUrl", "http://fractal.example", "Fractal:PublicBaseUrl")]
    [InlineData("Fractal:RecordUrlTemplate", "http://app.fractal.example/{kind}/{id}", "Fractal:RecordUrlTemplate")]
    [InlineData("Fractal:RecordUrlTemplate", "https://app.fractal.example/records/{id}", "Fractal:RecordUrlTemplate")]
    [InlineData("Fractal:RecordUrlTemplate", "/{kind}/{id}", "Fractal:RecordUrlTemplate")]
    [InlineData("McpApps:WidgetDomain", "https://fractal.example/mcp", "McpApps:WidgetDomain")]
    [InlineData("McpApps:WidgetDomain", "http://fractal.example", "McpApps:WidgetDomain")]
    [InlineData("McpApps:WidgetDomain", "fractal.example", "McpApps:WidgetDomain")]
    [InlineData("Mcp:AllowedOrigins", "https://ok.example https://fractal.example/mcp", "Mcp:AllowedOrigins")]
    [InlineData("Mcp:AllowedOrigins", "http://fractal.example", "Mcp:AllowedOrigins")]
    [InlineData("Secrets:Provider", "Development", "Secrets:Provider")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "https://dc.services.visualstudio.com", "APPLICATIONINSIGHTS_CONNECTION_STRING")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317", "OTEL_EXPORTER_OTLP_ENDPOINT")]
    public async Task A_missing_or_invalid_setting_stops_start_up_with_a_message_naming_it(string key, string value, string named)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TestApp.StartAsync(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task Both_storage_settings_at_once_are_refused()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TestApp.StartAsync(new Dictionary<string, string?> { ["Storage:TableServiceUri"] = "https://account.table.core.windows.net" }));
        Assert.Contains("Storage:TableServiceUri", error.Message);
    }

    [Fact]
    public async Task Without_an_exporter_setting_no_telemetry_pipeline_is_built()
    {
        var app = await TestApp.Shared;
        Assert.Null(app.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Assert.Null(app.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    [Theory]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")]
    public async Task An_exporter_setting_builds_the_pipeline_and_the_app_serves_while_the_collector_is_unreachable(string key, string value)
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { [key] = value });
        Assert.NotNull(app.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Assert.NotNull(app.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task The_development_secret_store_is_accepted_in_development()
    {
        var file = Path.Combine(Path.GetTempPath(), $"fractal-dev-secrets-{Guid.NewGuid():N}.json");
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
            ["Secrets:Provider"] = "Development",
            ["Secrets:DevelopmentFilePath"] = file,
        });
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task The_built_executable_exits_with_the_setting_name_when_a_setting_is_missing()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(RepoPaths.FunctionsOutput, "Fractal.Functions.dll"), "--standalone", "--urls", $"http://127.0.0.1:{FreePort.Next()}", "--settings", "/nonexistent.json" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production", ["Storage__ConnectionString"] = null, ["Storage__TableServiceUri"] = null },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Storage:ConnectionString", await output + await errors);
    }
}
