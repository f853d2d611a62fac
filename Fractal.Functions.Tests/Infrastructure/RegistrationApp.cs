using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.OAuth.Clients.MetadataDocuments;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// The app with dynamic registration and client ID metadata documents turned on, and a loopback HTTPS
/// server for documents. Tests run in the "Testing" environment, where private addresses are refused, so
/// this app gets the narrow code-only allowance (<see cref="ClientMetadataFetchOptions"/>): loopback may be
/// fetched and this server's certificate is trusted. The fetch timeout stays the product's (5 s): the 1 s this app had
/// kept the stall test fast but left every test that needs a document to arrive one busy second from failing.
/// X-Forwarded-For is believed from loopback so each test speaks for its own client IP (rate limit).
/// </summary>
public static class RegistrationApp
{
    public const int RegistrationsPerIpPerHour = 3;
    public static readonly TimeSpan FetchTimeout = ClientMetadataFetchOptions.DefaultTimeout;

    /// <summary>What the shared app logs at its usual levels (a refused document's reason is only there).</summary>
    public static readonly CapturedLogs SharedLogs = new();

    private static readonly Lazy<Task<(TestApp, MetadataDocumentServer)>> SharedInstance =
        new(() => StartAsync(s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(SharedLogs)));

    public static Task<(TestApp App, MetadataDocumentServer Documents)> Shared => SharedInstance.Value;

    public static async Task<(TestApp App, MetadataDocumentServer Documents)> StartAsync(Action<IServiceCollection>? services = null, bool allowLoopback = true)
    {
        var documents = await MetadataDocumentServer.StartAsync();
        var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Registration:DynamicClientsEnabled"] = "true",
            ["Registration:MetadataDocumentsEnabled"] = "true",
            ["Registration:RegistrationsPerIpPerHour"] = RegistrationsPerIpPerHour.ToString(),
            ["Network:TrustedProxies"] = "127.0.0.1, ::1",
        }, s =>
        {
            if (allowLoopback)
            {
                s.AddSingleton(new ClientMetadataFetchOptions
                {
                    AllowPrivateAddresses = true, Timeout = FetchTimeout, CertificateValidation = documents.CertificateValidation(),
                });
            }
            else
            {
                s.AddSingleton(new ClientMetadataFetchOptions { CertificateValidation = documents.CertificateValidation() });
            }
            services?.Invoke(s);
        });
        return (app, documents);
    }

    private static int _lastIp;

    /// <summary>A client IP no other test uses, for X-Forwarded-For (each test its own rate-limit partition).</summary>
    public static string NewClientIp()
    {
        var n = Interlocked.Increment(ref _lastIp);
        return $"203.0.{n / 250}.{n % 250 + 1}";
    }

    /// <summary>Sets the tenant's rules for clients of no tenant, as its admin would.</summary>
    public static async Task SetTenantRulesAsync(TestApp app, TenantId tenant, bool? allowDynamic = null, string? hosts = null)
    {
        var store = app.Services.GetRequiredService<TenantStore>();
        var row = (await store.FindAsync(tenant))!;
        if (allowDynamic is { } allow) row.DynamicClientsAllowed = allow;
        if (hosts is not null) row.MetadataDocumentHosts = hosts;
        Assert.True((await store.TryUpdateAsync(row)).Succeeded);
    }
}
