using Fractal.Functions.Maintenance.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Client;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// An app whose clock stands at the demo plant's reference date, with two tenants that each hold the whole
/// demo plant (so every guessable folio and asset code exists in both) and users of every role. Loaded
/// once per test run.
/// </summary>
public sealed record McpPlant(TestApp App, TestTenant A, TestTenant B, FakeTimeProvider Clock)
{
    private static readonly Lazy<Task<McpPlant>> Shared = new(LoadAsync);

    public static Task<McpPlant> GetAsync() => Shared.Value;

    private static async Task<McpPlant> LoadAsync()
    {
        var clock = new FakeTimeProvider(DemoPlant.ReferenceDate);
        // An Azurite of its own: loading two demo plants (~31,000 rows) keeps a single-threaded emulator busy for
        // seconds, and on the shared one every other test's storage call would queue behind it (a full suite once
        // timed out a sign-in page that way). Two emulator processes also use both cores.
        var app = await TestApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock), azurite: await Azurite.StartAsync());
        var a = await TestTenant.CreateAsync(app);
        var b = await TestTenant.CreateAsync(app);
        var loader = app.Services.GetRequiredService<DemoPlantLoader>();
        await loader.LoadAsync(a.Id, CancellationToken.None);
        await loader.LoadAsync(b.Id, CancellationToken.None);
        return new McpPlant(app, a, b, clock);
    }

    public string McpUrl => App.Issuer() + "/mcp/oauth/fractal-one";

    /// <summary>An MCP access token for <paramref name="user"/> of <paramref name="tenant"/> with the given scope.</summary>
    public async Task<string> TokenAsync(TestTenant tenant, TestUser user, string scope = "maintenance.read maintenance.write offline_access") =>
        (await OAuthFlow.TokensAsync(App, tenant, user, p => p["scope"] = scope))["access_token"]!.GetValue<string>();

    /// <summary>The official C# MCP client, connected with a bearer token.</summary>
    public async Task<McpClient> ClientAsync(string token)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(McpUrl),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        });
        return await McpClient.CreateAsync(transport);
    }
}
