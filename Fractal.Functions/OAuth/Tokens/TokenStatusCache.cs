using System.Collections.Concurrent;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.OAuth.Grants;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.OAuth.Tokens;

/// <summary>
/// Whether a token family is alive and a user enabled, remembered per instance for at most
/// <c>OAuth:StatusCacheSeconds</c>. This is the bound on how late a revocation or a disabled user takes
/// effect on access tokens, while validation of a token already seen stays free of storage round trips.
/// </summary>
public sealed class TokenStatusCache(TokenFamilyStore families, UserStore users, Identity.Tenants.TenantStore tenants, IOptions<OAuthOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (bool Value, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    public Task<bool> IsFamilyActiveAsync(TenantId tenant, string familyId, CancellationToken ct) =>
        GetAsync($"f|{tenant.Value}|{familyId}", async () =>
        {
            var family = await families.FindAsync(tenant, familyId, ct);
            return family is not null && family.RevokedAt is null;
        });

    public Task<bool> IsUserEnabledAsync(TenantId tenant, string userId, CancellationToken ct) =>
        GetAsync($"u|{tenant.Value}|{userId}", async () => (await users.FindAsync(tenant, userId, ct))?.Enabled == true);

    /// <summary>The tenant's MCP switch (Settings › API Connections): off means no MCP tokens and no MCP calls.</summary>
    public Task<bool> IsMcpEnabledAsync(TenantId tenant, CancellationToken ct) =>
        GetAsync($"t|{tenant.Value}", async () => (await tenants.FindAsync(tenant, ct))?.McpEnabled != false);

    private async Task<bool> GetAsync(string key, Func<Task<bool>> load)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.Until > now) return entry.Value;
        var value = await load();
        var lifetime = TimeSpan.FromSeconds(options.Value.StatusCacheSeconds);
        if (lifetime > TimeSpan.Zero) _entries[key] = (value, now + lifetime);
        if (_entries.Count > 100_000) _entries.Clear(); // bound memory; the cache only saves round trips
        return value;
    }
}
