using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;

namespace Fractal.Functions.Hosting.Standalone;

/// <summary>
/// Runs the app on Kestrel without the Functions host:
/// <c>dotnet Fractal.Functions.dll --standalone [--urls URL] [--settings FILE]</c>.
/// Settings come, weakest first, from the <c>Values</c> of a local.settings.json (as Core Tools reads it),
/// environment variables, then the command line.
/// </summary>
public static class StandaloneHost
{
    public const string Flag = "--standalone";
    public const string DefaultUrl = "http://localhost:7071";
    /// <summary>The activity source of the standalone host's invocation spans (FunctionEndpoint).</summary>
    public const string InvocationSourceName = "Fractal.Functions.Standalone";

    public static bool IsRequested(IEnumerable<string> args) => args.Contains(Flag, StringComparer.Ordinal);

    public static async Task RunAsync(string[] args)
    {
        var app = Build(CreateBuilder(args));
        var arguments = StandaloneArguments.Parse(args);
        if (arguments.SeedDemo) await SeedDemoAsync(app, arguments.DemoCredentialsFile);
        await app.RunAsync();
    }

    /// <summary>Seeds the demo tenant before serving; refused outside Development (demo passwords are public).</summary>
    internal static async Task SeedDemoAsync(WebApplication app, string? credentialsFile)
    {
        if (!app.Environment.IsDevelopment())
            throw new InvalidOperationException("--seed-demo is only allowed in the Development environment.");
        var credentials = await app.Services.GetRequiredService<Demo.DemoSeeder>().SeedAsync();
        var json = System.Text.Json.JsonSerializer.Serialize(credentials, new System.Text.Json.JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower });
        if (credentialsFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(credentialsFile))!);
            await File.WriteAllTextAsync(credentialsFile, json);
        }
        Console.WriteLine("Demo tenant seeded (Development only). Users and the demo consumer:");
        Console.WriteLine(json);
    }

    /// <summary>The builder with configuration and the app's services; tests add their overrides to it.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, IDictionary<string, string?>? overrides = null)
    {
        var commandLine = StandaloneArguments.Parse(args);
        var fileSettings = ReadSettingsFile(commandLine.SettingsFile);
        var environmentName = commandLine.Environment
            ?? Environment.GetEnvironmentVariable("AZURE_FUNCTIONS_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? (overrides?.TryGetValue("AZURE_FUNCTIONS_ENVIRONMENT", out var o) == true ? o : null)
            ?? fileSettings.GetValueOrDefault("AZURE_FUNCTIONS_ENVIRONMENT")
            ?? Environments.Production;

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            EnvironmentName = environmentName,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration.AddInMemoryCollection(fileSettings);
        builder.Configuration.AddEnvironmentVariables();
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        builder.Configuration.AddInMemoryCollection(commandLine.Settings);

        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls(commandLine.Urls ?? builder.Configuration["urls"] ?? DefaultUrl);
        builder.Services.AddRoutingCore();
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.Services.AddFractal(builder.Configuration, builder.Environment, HostingMode.Standalone);
        return builder;
    }

    /// <summary>
    /// Maps every HTTP-triggered function at its route, with its methods. A method the function does not declare
    /// answers 404, as under the Functions host (whose routes match method and path together), not routing's 405.
    /// Each function runs inside the <see cref="WorkerPipeline"/> middleware, in its own flow (<see cref="FunctionEndpoint"/>).
    /// </summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UseRouting();
        app.Use(UndeclaredMethodIsNotFound);
        foreach (var function in HttpFunctionCatalog.Discover(typeof(StandaloneHost).Assembly, RoutePrefix))
        {
            app.MapMethods("/" + function.Route, function.HttpMethods, FunctionEndpoint.Create(function))
               .WithDisplayName(function.Name);
        }
        return app;
    }

    /// <summary>Routing picks its own "method not allowed" endpoint when only the method differs; the host has none.</summary>
    private static Task UndeclaredMethodIsNotFound(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint() is { } endpoint && endpoint.Metadata.GetMetadata<HttpMethodMetadata>() is null
            && endpoint.DisplayName == MethodNotAllowedEndpoint)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        return next(context);
    }

    private const string MethodNotAllowedEndpoint = "405 HTTP Method Not Supported";

    /// <summary>The route prefix from the host.json deployed beside the assembly.</summary>
    public static string RoutePrefix =>
        HttpFunctionCatalog.ReadRoutePrefix(Path.Combine(AppContext.BaseDirectory, "host.json"));

    /// <summary>local.settings.json's <c>Values</c>, with <c>__</c> read as the section separator, as Core Tools does.</summary>
    private static Dictionary<string, string?> ReadSettingsFile(string? path)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        path ??= Path.Combine(AppContext.BaseDirectory, "local.settings.json");
        if (!File.Exists(path)) return settings;
        if (JsonNode.Parse(File.ReadAllText(path))?["Values"] is JsonObject values)
        {
            foreach (var (key, value) in values)
                settings[key.Replace("__", ":", StringComparison.Ordinal)] = value?.ToString();
        }
        return settings;
    }
}
