namespace Fractal.Functions.Identity.Sessions;

/// <summary>The person behind a valid session, with the permissions of their current role.</summary>
public sealed record SignedInUser(
    TenantId Tenant,
    string UserId,
    string Email,
    string DisplayName,
    string RoleId,
    IReadOnlySet<string> Permissions,
    string SessionKey,
    bool MustChangePassword = false)
{
    public bool Has(string permission) => Permissions.Contains(permission);
}
