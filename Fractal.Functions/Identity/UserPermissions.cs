using System.Collections.Concurrent;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Identity.Users;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Identity;

/// <summary>A user's current standing: enabled or not, and the permissions of their current role.</summary>
public sealed record UserStanding(bool Enabled, string RoleId, IReadOnlySet<string> Permissions, string Email)
{
    public static readonly UserStanding Unknown = new(false, "", new HashSet<string>(), "");
    public bool Has(string permission) => Enabled && Permissions.Contains(permission);
}

/// <summary>
/// What a bearer-token holder may do is always the user's current permissions (never the consumer's
/// permission group), read through a cache of bounded age (<c>OAuth:StatusCacheSeconds</c>): a role change
/// or a disable reaches every instance within that bound without a storage read per call.
/// </summary>
public sealed class UserPermissions(UserStore users, TenantStore tenants, IOptions<OAuthOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Tenant, string User), (UserStanding Value, DateTimeOffset Until)> _cache = new();

    public async Task<UserStanding> GetAsync(TenantId tenant, string userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue((tenant.Value, userId), out var hit) && hit.Until > now) return hit.Value;
        var user = await users.FindAsync(tenant, userId, ct);
        var standing = UserStanding.Unknown;
        if (user is not null)
        {
            var role = await tenants.FindRoleAsync(tenant, user.RoleId, ct);
            standing = new UserStanding(user.Enabled, user.RoleId, (role?.PermissionList ?? []).ToHashSet(StringComparer.Ordinal), user.Email);
        }
        var lifetime = TimeSpan.FromSeconds(options.Value.StatusCacheSeconds);
        if (lifetime > TimeSpan.Zero) _cache[(tenant.Value, userId)] = (standing, now + lifetime);
        if (_cache.Count > 100_000) _cache.Clear();
        return standing;
    }
}
