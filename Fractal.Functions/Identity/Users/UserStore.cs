using Fractal.Functions.Storage;
using Microsoft.AspNetCore.Identity;

namespace Fractal.Functions.Identity.Users;

public enum CreateUserStatus { Created, EmailTaken }

/// <summary>Users of a tenant and the global email index.</summary>
public sealed class UserStore(TableStore tables, PagedReader reader, IPasswordHasher<UserEntity> hasher, TimeProvider time)
{
    public async Task<(CreateUserStatus Status, UserEntity? User)> CreateAsync(
        TenantId tenant, string email, string displayName, string roleId, string? password, CancellationToken ct = default)
    {
        var user = new UserEntity
        {
            PartitionKey = tenant.Value,
            RowKey = UserEntity.RowKeyPrefix + "u-" + Guid.NewGuid().ToString("N")[..20],
            Email = email.Trim(),
            DisplayName = displayName.Trim(),
            RoleId = roleId,
            CreatedAt = time.GetUtcNow(),
        };
        if (password is not null) user.PasswordHash = hasher.HashPassword(user, password);

        // The index row is the uniqueness guard (insert-only); it is written first so two tenants cannot
        // both claim one email. If the user row then fails, the index row is removed again.
        var index = new EmailIndexEntity
        {
            PartitionKey = EmailAddress.IndexKey(email), RowKey = "", Email = user.Email, TenantId = tenant.Value, UserId = user.UserId,
        };
        if (!(await tables.TryAddAsync(TableNames.EmailIndex, index, ct)).Succeeded) return (CreateUserStatus.EmailTaken, null);
        try
        {
            if (!(await tables.TryAddAsync(TableNames.Users, user, ct)).Succeeded)
                throw new InvalidOperationException("A freshly generated user id already exists.");
        }
        catch
        {
            await tables.TryDeleteAsync(TableNames.EmailIndex, index.PartitionKey, "", Azure.ETag.All, CancellationToken.None);
            throw;
        }
        return (CreateUserStatus.Created, user);
    }

    public Task<UserEntity?> FindAsync(TenantId tenant, string userId, CancellationToken ct = default) =>
        tables.FindAsync<UserEntity>(TableNames.Users, tenant.Value, UserEntity.RowKeyPrefix + userId, ct);

    public async Task<UserEntity?> FindByEmailAsync(string email, CancellationToken ct = default)
    {
        if (!EmailAddress.IsValid(email)) return null;
        var index = await tables.FindAsync<EmailIndexEntity>(TableNames.EmailIndex, EmailAddress.IndexKey(email), "", ct);
        return index is null || !TenantId.IsValid(index.TenantId) ? null : await FindAsync(new TenantId(index.TenantId), index.UserId, ct);
    }

    public Task<WriteResult> TryUpdateAsync(UserEntity user, CancellationToken ct = default) =>
        tables.TryReplaceAsync(TableNames.Users, user, user.ETag, ct);

    public async Task<TablePage<UserEntity>> ListAsync(TenantId tenant, int pageSize, string? cursor, CancellationToken ct = default) =>
        await reader.ReadPageAsync<UserEntity>(RangeQuery.Prefix(TableNames.Users, tenant.Value, UserEntity.RowKeyPrefix), pageSize, cursor, ct);

    public PasswordVerificationResult VerifyPassword(UserEntity user, string password) =>
        user.PasswordHash is null ? PasswordVerificationResult.Failed : hasher.VerifyHashedPassword(user, user.PasswordHash, password);

    /// <summary>Spends the same work as a real verification, so an unknown email is not revealed by timing.</summary>
    public void VerifyAgainstDummy(string password) => hasher.VerifyHashedPassword(DummyUser, DummyHash.Value, password);

    private static readonly UserEntity DummyUser = new();
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<UserEntity>().HashPassword(DummyUser, Guid.NewGuid().ToString()));
}
