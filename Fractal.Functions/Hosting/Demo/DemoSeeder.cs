using Fractal.Functions.Consumers;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Hosting.Demo;

public sealed record DemoUser(string Email, string Password, string Role);
public sealed record DemoConsumer(string Name, string ClientId, string ClientSecret, IReadOnlyList<string> CallbackUrls);
public sealed record DemoCredentials(string Tenant, IReadOnlyList<DemoUser> Users, DemoConsumer Consumer);

/// <summary>
/// <c>--seed-demo</c> (standalone, Development only): the demo tenant, one user per role with the documented
/// demo passwords, and a demo consumer whose callbacks cover ChatGPT, Claude and loopback. Idempotent: a
/// second run changes nothing and reports the same consumer.
/// </summary>
public sealed class DemoSeeder(TenantStore tenants, UserStore users, ConsumerStore consumers, PagedReader reader, Maintenance.Demo.DemoPlantLoader plant)
{
    public static readonly TenantId Tenant = new("demo");
    public const string ConsumerName = "Demo connector (ChatGPT, Claude, local)";

    /// <summary>Local-only demo passwords, documented in README; the seeder refuses to run outside Development.</summary>
    public static readonly IReadOnlyList<DemoUser> Users =
    [
        new("lector@andes.demo", "Andes-Lector-2026", DefaultRoles.Viewer),
        new("tecnico@andes.demo", "Andes-Tecnico-2026", DefaultRoles.Technician),
        new("supervisor@andes.demo", "Andes-Supervisor-2026", DefaultRoles.Supervisor),
        new("admin@andes.demo", "Andes-Admin-2026", DefaultRoles.Administrator),
    ];

    public static readonly IReadOnlyList<string> CallbackUrls =
    [
        "https://chatgpt.com/connector_platform_oauth_redirect",
        "https://claude.ai/api/mcp/auth_callback",
        "https://claude.com/api/mcp/auth_callback",
        "http://127.0.0.1/callback",
        "http://localhost/callback",
    ];

    public async Task<DemoCredentials> SeedAsync(CancellationToken ct = default)
    {
        await tenants.TryCreateAsync(Tenant, "Planta Embotelladora Andes", "America/Santiago", ct);
        // The plant itself: ~50 assets, ~500 work orders over the year up to yesterday, plant-local (idempotent the same day).
        await plant.LoadAsync(Tenant, ct);
        foreach (var user in Users)
        {
            var name = user.Email.Split('@')[0];
            await users.CreateAsync(Tenant, user.Email, char.ToUpperInvariant(name[0]) + name[1..], user.Role, user.Password, ct);
        }

        var existing = (await reader.ReadPageAsync<ConsumerEntity>(
                RangeQuery.Prefix(TableNames.Consumers, Tenant.Value, ConsumerEntity.RowKeyPrefix), PagedReader.MaxPageSize, null, ct))
            .Items.FirstOrDefault(c => c.Name == ConsumerName);
        string secret;
        if (existing is null)
        {
            var created = await consumers.CreateAsync(Tenant, new ConsumerDraft(ConsumerName,
                "Connects ChatGPT, Claude and local MCP clients to the demo plant.", ClientTypes.Confidential, CallbackUrls,
                null, null, null, DefaultRoles.Administrator), ct);
            existing = created.Consumer;
            secret = created.Secret!;
        }
        else
        {
            secret = await consumers.RevealSecretAsync(existing, ct)
                     ?? throw new InvalidOperationException("The demo consumer's secret is missing from the development secret store; delete .local/ and seed again.");
        }
        return new DemoCredentials(Tenant.Value, Users, new DemoConsumer(existing.Name, existing.ClientId, secret, existing.CallbackUrlList));
    }
}
