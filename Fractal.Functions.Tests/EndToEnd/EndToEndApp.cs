using Fractal.Functions.Hosting.Demo;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.EndToEnd;

/// <summary>
/// The standalone app as a person meets it after <c>./run.sh</c>: its own Azurite with the demo tenant, users
/// and plant (README's demo data), a one-minute access-token lifetime, a two-second revocation bound, and a
/// clock the end-to-end scripts may move forward (<see cref="ShiftableClock"/>). Tests of this collection run
/// one at a time, since a moved clock is everyone's clock.
/// </summary>
public sealed class EndToEndApp : IAsyncLifetime
{
    public const int StatusCacheSeconds = 2;

    private Azurite? _azurite;

    public TestApp App { get; private set; } = null!;
    public ShiftableClock Clock { get; } = new();
    public DemoCredentials Demo { get; private set; } = null!;

    public string McpUrl => App.Issuer() + "/mcp/oauth/fractal-one";
    public DemoUser Admin => Demo.Users.Single(u => u.Role == Fractal.Functions.Identity.DefaultRoles.Administrator);
    public DemoUser Technician => Demo.Users.Single(u => u.Role == Fractal.Functions.Identity.DefaultRoles.Technician);

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        App = await TestApp.StartAsync(
            settings: new Dictionary<string, string?>
            {
                ["OAuth:AccessTokenMinutes"] = "1",
                ["OAuth:StatusCacheSeconds"] = StatusCacheSeconds.ToString(),
            },
            services: s => s.AddSingleton<TimeProvider>(Clock),
            azurite: _azurite);
        Demo = await App.Services.GetRequiredService<DemoSeeder>().SeedAsync();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        if (_azurite is not null) await _azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndApp>
{
    public const string Name = "End to end";
}
