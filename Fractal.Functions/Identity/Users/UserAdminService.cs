using Fractal.Functions.Admin;
using Fractal.Functions.Audit;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Storage;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Identity.Users;

public sealed record UserChange(UserEntity? User, string? TemporaryPassword, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Errors.Count == 0 && User is not null;
    public static UserChange Failed(string field, string key) => new(null, null, new Dictionary<string, string> { [field] = key });
}

/// <summary>
/// What administrators do to people (pages and API alike), audited. A disable or a password reset raises
/// the user's session epoch (every session ends) and revokes every app authorization (every token family,
/// <see cref="UserAuthorizations"/>); role changes reach bearer tokens through <see cref="UserPermissions"/> within the bound.
/// </summary>
public sealed class UserAdminService(UserStore users, TenantStore tenants, UserAuthorizations authorizations, AuditLog audit, ILogger<UserAdminService> log)
{
    public async Task<UserChange> CreateAsync(AdminUser admin, string email, string displayName, string roleId, string? password, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (!EmailAddress.IsValid(email)) errors["email"] = "user.email.invalid";
        if (string.IsNullOrWhiteSpace(displayName) || displayName.Trim().Length > 100) errors["display_name"] = "user.name.invalid";
        if (await tenants.FindRoleAsync(admin.Tenant, roleId, ct) is null) errors["role"] = "user.role.invalid";
        if (password is not null && Passwords.Check(password, email) is { } problem) errors["password"] = problem;
        if (errors.Count > 0) return new UserChange(null, null, errors);

        var temporary = password is null ? Passwords.NewTemporary() : null;
        // An address held by another tenant's user is answered like a new one (the account is created but cannot
        // sign in): a 409 would tell any tenant admin who has an account elsewhere (issue 24 #7). Only a duplicate
        // inside this tenant, which the admin can see anyway, is a conflict. The operator finds out from the log.
        var (status, user) = await users.CreateAsync(admin.Tenant, email, displayName, roleId, password ?? temporary, ct, allowUnclaimed: true);
        if (status == CreateUserStatus.EmailTaken) return UserChange.Failed("email", "user.email.taken");
        if (status == CreateUserStatus.CreatedWithoutSignIn)
            log.LogWarning("User {UserId} of tenant {Tenant} was created without sign-in: the address belongs to an account of another tenant (manage reassign-email)",
                user!.UserId, admin.Tenant.Value);
        if (temporary is not null)
        {
            user!.MustChangePassword = true;
            await users.TryUpdateAsync(user, ct);
        }
        await audit.WriteAsync(admin.Tenant, new AuditEntry("user_created", AuditOutcome.Success, admin.UserId, Detail: $"user {user!.UserId} with role {roleId}"), ct);
        return new UserChange(user, temporary, new Dictionary<string, string>());
    }

    /// <summary>Changes role and/or enabled; null when the user is not in the admin's tenant.</summary>
    public async Task<UserChange?> UpdateAsync(AdminUser admin, string userId, string? roleId, bool? enabled, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var user = await users.FindAsync(admin.Tenant, userId, ct);
            if (user is null) return null;
            if (roleId is not null && await tenants.FindRoleAsync(admin.Tenant, roleId, ct) is null) return UserChange.Failed("role", "user.role.invalid");
            if (userId == admin.UserId && (enabled == false || (roleId is not null && roleId != user.RoleId)))
                return UserChange.Failed("user", "user.self");
            var disabling = enabled == false && user.Enabled;
            if (roleId is not null) user.RoleId = roleId;
            if (enabled is not null) user.Enabled = enabled.Value;
            if (disabling) user.SessionEpoch++;
            if (!(await users.TryUpdateAsync(user, ct)).Succeeded) continue;
            if (disabling) await authorizations.RevokeAllAsync(admin.Tenant, userId, "user disabled", ct);
            await audit.WriteAsync(admin.Tenant, new AuditEntry("user_updated", AuditOutcome.Success, admin.UserId,
                Detail: $"user {userId}: role {user.RoleId}, {(user.Enabled ? "enabled" : "disabled")}"), ct);
            return new UserChange(user, null, new Dictionary<string, string>());
        }
        return UserChange.Failed("user", "form.conflict");
    }

    /// <summary>
    /// A temporary password (shown once) that must be changed at the next sign-in; every session ends and every app
    /// authorization is revoked (whoever knew the old password may have connected an app).
    /// </summary>
    public async Task<UserChange?> ResetPasswordAsync(AdminUser admin, string userId, CancellationToken ct)
    {
        var user = await users.FindAsync(admin.Tenant, userId, ct);
        if (user is null) return null;
        var temporary = Passwords.NewTemporary();
        users.SetPassword(user, temporary);
        user.MustChangePassword = true;
        user.SessionEpoch++;
        if (!(await users.TryUpdateAsync(user, ct)).Succeeded) return UserChange.Failed("user", "form.conflict");
        var revoked = await authorizations.RevokeAllAsync(admin.Tenant, userId, "password reset", ct);
        await audit.WriteAsync(admin.Tenant, new AuditEntry("password_reset", AuditOutcome.Success, admin.UserId, Detail: $"user {userId}; {revoked} app authorizations revoked"), ct);
        return new UserChange(user, temporary, new Dictionary<string, string>());
    }

    public async Task<bool> DeleteAsync(AdminUser admin, string userId, CancellationToken ct)
    {
        if (userId == admin.UserId) return false;
        var user = await users.FindAsync(admin.Tenant, userId, ct);
        if (user is null) return false;
        await authorizations.RevokeAllAsync(admin.Tenant, userId, "user deleted", ct);
        await users.DeleteAsync(user, ct);
        await audit.WriteAsync(admin.Tenant, new AuditEntry("user_deleted", AuditOutcome.Success, admin.UserId, Detail: $"user {userId}"), ct);
        return true;
    }

    /// <summary>
    /// The operator's remedy when another tenant claimed an address first (<c>manage reassign-email</c>): the account
    /// holding the address is deleted with its app authorizations, and the address then signs in to
    /// <paramref name="tenant"/>'s user of that address (created earlier without sign-in). Null when that tenant has no
    /// such user; otherwise the tenant whose account was deleted (null there when none had to be).
    /// </summary>
    public async Task<(bool Found, TenantId? DeletedFrom)> ReassignEmailAsync(TenantId tenant, string email, CancellationToken ct = default)
    {
        var listed = (await users.ListAsync(tenant, email, 100, null, ct)).Items
            .FirstOrDefault(u => string.Equals(u.Email, email.Trim(), StringComparison.OrdinalIgnoreCase));
        var target = listed is null ? null : await users.FindAsync(tenant, listed.UserId, ct);
        if (target is null) return (false, null);
        var holder = await users.FindByEmailAsync(email, ct);
        if (holder is not null && holder.PartitionKey == tenant.Value && holder.UserId == target.UserId) return (true, null);
        TenantId? deletedFrom = null;
        if (holder is not null)
        {
            deletedFrom = new TenantId(holder.PartitionKey);
            await authorizations.RevokeAllAsync(deletedFrom.Value, holder.UserId, "address reassigned by the operator", ct);
            await users.DeleteAsync(holder, ct);
            await audit.WriteAsync(deletedFrom.Value, new AuditEntry("user_deleted", AuditOutcome.Success, Detail: $"user {holder.UserId}: its address was reassigned by the operator"), ct);
        }
        await users.UpsertEmailIndexAsync(target, ct);
        await audit.WriteAsync(tenant, new AuditEntry("user_updated", AuditOutcome.Success, Detail: $"user {target.UserId}: may now sign in (address reassigned by the operator)"), ct);
        return (true, deletedFrom);
    }
}
