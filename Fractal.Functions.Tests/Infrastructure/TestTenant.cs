using Fractal.Functions.Consumers;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Identity.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Infrastructure;

public sealed record TestUser(string UserId, string Email, string Password, string Role);

/// <summary>A fresh tenant with one user per default role and a confidential consumer, created through the app's own stores.</summary>
public sealed record TestTenant(TenantId Id, IReadOnlyDictionary<string, TestUser> Users, ConsumerEntity Consumer, string ClientSecret)
{
    public const string ChatGptCallback = "https://chatgpt.com/connector_platform_oauth_redirect";
    public const string ClientCallback = "https://client.example/oauth/callback";
    public const string LoopbackCallback = "http://127.0.0.1/callback";

    public TestUser Viewer => Users[DefaultRoles.Viewer];
    public TestUser Technician => Users[DefaultRoles.Technician];
    public TestUser Supervisor => Users[DefaultRoles.Supervisor];
    public TestUser Admin => Users[DefaultRoles.Administrator];
    public string ClientId => Consumer.ClientId;

    public static async Task<TestTenant> CreateAsync(TestApp app, string? clientType = null)
    {
        var tenant = TenantId.New();
        await app.Services.GetRequiredService<TenantStore>().TryCreateAsync(tenant, "Test plant " + tenant.Value, "America/Santiago");
        var users = new Dictionary<string, TestUser>();
        var store = app.Services.GetRequiredService<UserStore>();
        foreach (var role in DefaultRoles.All)
        {
            var email = $"{role.Id}-{Guid.NewGuid():N}@test.example";
            var password = "Pw-" + Guid.NewGuid().ToString("N");
            var (_, user) = await store.CreateAsync(tenant, email, role.Name + " user", role.Id, password);
            users[role.Id] = new TestUser(user!.UserId, email, password, role.Id);
        }
        var created = await app.Services.GetRequiredService<ConsumerStore>().CreateAsync(tenant, new ConsumerDraft(
            "Test Connector", "A consumer for tests", clientType ?? ClientTypes.Confidential,
            [ChatGptCallback, ClientCallback, LoopbackCallback],
            "https://client.example", "https://client.example/privacy", "https://client.example/eula", DefaultRoles.Viewer));
        return new TestTenant(tenant, users, created.Consumer, created.Secret ?? "");
    }
}
