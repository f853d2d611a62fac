using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using Fractal.Functions.Hosting.Standalone;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// The standalone host on a free loopback port, configured like production (Key Vault secret store over
/// HTTPS, Table Storage in Azurite) and reached over real HTTP. <see cref="Shared"/> serves most tests;
/// tests that need other settings, another clock or their own Azurite start their own.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    private static readonly Lazy<Task<TestApp>> SharedInstance = new(() => StartAsync());
    private readonly WebApplication _app;

    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;
    public WebApplication Host => _app;

    private TestApp(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseAddress };
    }

    public static Task<TestApp> Shared => SharedInstance.Value;

    /// <param name="vault">
    /// A vault of the test's own. Pair it with its own <paramref name="azurite"/> when the test signs anyone in
    /// or issues tokens: the service keys recorded in storage must point at secrets in the same vault.
    /// </param>
    public static async Task<TestApp> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        Azurite? azurite = null,
        FakeKeyVault? vault = null)
    {
        azurite ??= await Azurite.Shared;
        vault ??= await FakeKeyVault.Shared;
        var baseAddress = $"http://127.0.0.1:{FreePort.Next()}";
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Testing",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Secrets:Provider"] = "KeyVault",
            ["KeyVault:Uri"] = vault.VaultUri.ToString(),
            ["Fractal:PublicBaseUrl"] = baseAddress,
            // Revocations and disabled users take effect at once in tests; the cache bound has its own tests.
            ["OAuth:StatusCacheSeconds"] = "0",
            // The whole suite comes from one loopback address: limits far above anything it sends. Rate-limit
            // tests start their own app with low limits.
            ["RateLimits:SignInPerIpPerMinute"] = "1000000",
            ["RateLimits:AuthorizePerIpPerMinute"] = "1000000",
            ["RateLimits:TokenPerIpPerMinute"] = "1000000",
            ["RateLimits:TokenPerConsumerPerMinute"] = "1000000",
            ["RateLimits:ToolCallsPerGrantPerMinute"] = "1000000",
            // Tests move fake clocks by days: the daily retention run would purge rows under them. Retention tests turn it on.
            ["Retention:StandaloneEnabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;

        var builder = StandaloneHost.CreateBuilder(["--standalone", "--urls", baseAddress, "--environment", configuration["AZURE_FUNCTIONS_ENVIRONMENT"]!], configuration);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TokenCredential>(new FakeCredential());
        builder.Services.AddSingleton<SecretClientOptions>(vault.ClientOptions());
        services?.Invoke(builder.Services);
        var app = StandaloneHost.Build(builder);
        await app.StartAsync();
        return new TestApp(app, new Uri(baseAddress));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
