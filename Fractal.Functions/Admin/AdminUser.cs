using Fractal.Functions.Identity;

namespace Fractal.Functions.Admin;

/// <summary>Who is acting on an admin page or the admin API, and how they authenticated.</summary>
public sealed record AdminUser(TenantId Tenant, string UserId, string Email, IReadOnlySet<string> Permissions, bool ViaBearer)
{
    public bool Has(string permission) => Permissions.Contains(permission);
}

public static class SignedInUserExtensions
{
    public static AdminUser AsAdmin(this Identity.Sessions.SignedInUser user) =>
        new(user.Tenant, user.UserId, user.Email, user.Permissions, ViaBearer: false);
}
