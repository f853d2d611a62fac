using System.Security.Cryptography;
using System.Text;
using Azure;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Identity.Sessions;

/// <summary>
/// The sign-in session: a 256-bit random id in an HttpOnly, SameSite=Lax cookie (Lax so that a client's
/// top-level redirect to /oauth/authorize carries it), stored only as a hash, with an absolute and an
/// idle lifetime. Every page authenticates through <see cref="GetUserAsync"/>.
/// </summary>
public sealed class SessionService(TableStore tables, UserStore users, TenantStore tenants, IOptions<SessionOptions> options, TimeProvider time)
{
    private static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    public async Task StartAsync(HttpContext context, UserEntity user, CancellationToken ct)
    {
        var id = Base64UrlRandom(32);
        var now = time.GetUtcNow();
        await tables.UpsertAsync(TableNames.Sessions, new SessionEntity
        {
            PartitionKey = Hash(id), RowKey = "", TenantId = user.PartitionKey, UserId = user.UserId, CreatedAt = now, LastSeenAt = now, Epoch = user.SessionEpoch,
        }, ct);
        context.Response.Cookies.Append(SessionCookie.Name(context.Request), id, SessionCookie.Options(context.Request, expires: null));
    }

    /// <summary>The signed-in user, or null when there is no valid session (absent, expired, user disabled or gone).</summary>
    public async Task<SignedInUser?> GetUserAsync(HttpContext context, CancellationToken ct)
    {
        if (context.Items.TryGetValue(typeof(SignedInUser), out var cached)) return cached as SignedInUser;
        var user = await LoadAsync(context, ct);
        context.Items[typeof(SignedInUser)] = user;
        return user;
    }

    private async Task<SignedInUser?> LoadAsync(HttpContext context, CancellationToken ct)
    {
        var id = context.Request.Cookies[SessionCookie.Name(context.Request)];
        if (string.IsNullOrEmpty(id) || id.Length > 100) return null;
        var key = Hash(id);
        var session = await tables.FindAsync<SessionEntity>(TableNames.Sessions, key, "", ct);
        if (session is null || !TenantId.IsValid(session.TenantId)) return null;

        var now = time.GetUtcNow();
        var o = options.Value;
        if (now - session.CreatedAt >= TimeSpan.FromHours(o.AbsoluteHours) || now - session.LastSeenAt >= TimeSpan.FromMinutes(o.IdleMinutes))
        {
            await tables.TryDeleteAsync(TableNames.Sessions, key, "", ETag.All, ct);
            return null;
        }

        var tenant = new TenantId(session.TenantId);
        var user = await users.FindAsync(tenant, session.UserId, ct);
        if (user is null || !user.Enabled || user.SessionEpoch != session.Epoch) return null;
        var role = await tenants.FindRoleAsync(tenant, user.RoleId, ct);

        if (now - session.LastSeenAt >= LastSeenResolution)
        {
            // Sliding idle expiry, written at most once a minute; a lost race only means another request refreshed it.
            session.LastSeenAt = now;
            await tables.TryReplaceAsync(TableNames.Sessions, session, session.ETag, ct);
        }
        return new SignedInUser(tenant, user.UserId, user.Email, user.DisplayName, user.RoleId,
            (role?.PermissionList ?? []).ToHashSet(StringComparer.Ordinal), key, user.MustChangePassword);
    }

    public async Task EndAsync(HttpContext context, CancellationToken ct)
    {
        var id = context.Request.Cookies[SessionCookie.Name(context.Request)];
        if (!string.IsNullOrEmpty(id) && id.Length <= 100)
            await tables.TryDeleteAsync(TableNames.Sessions, Hash(id), "", ETag.All, ct);
        context.Response.Cookies.Delete(SessionCookie.Name(context.Request), SessionCookie.Options(context.Request, expires: null));
        context.Items.Remove(typeof(SignedInUser));
    }

    internal static string Hash(string value) => Sha256Hex.Of(value);

    internal static string Base64UrlRandom(int bytes) => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
