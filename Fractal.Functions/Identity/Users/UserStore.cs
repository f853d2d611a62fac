using Azure.Data.Tables;
using Fractal.Functions.Storage;
using Microsoft.AspNetCore.Identity;

namespace Fractal.Functions.Identity.Users;

public enum CreateUserStatus
{
    Created,
    /// <summary>The address already belongs to a user of this tenant (or, without <c>allowUnclaimed</c>, of any tenant).</summary>
    EmailTaken,
    /// <summary>
    /// Created, but the address signs in to an account of another tenant, so this one cannot sign in until an
    /// operator moves the address (<c>manage reassign-email</c>). Answered like <see cref="Created"/>.
    /// </summary>
    CreatedWithoutSignIn,
}

/// <summary>Users of a tenant and the global email index.</summary>
public sealed class UserStore(TableStore tables, PagedReader reader, IPasswordHasher<UserEntity> hasher, TimeProvider time)
{
    /// <param name="allowUnclaimed">
    /// When the address belongs to another tenant's user, still create this tenant's user, without the address
    /// (<see cref="CreateUserStatus.CreatedWithoutSignIn"/>): an administrator's answer then does not tell whether
    /// an address has an account elsewhere (issue 24 #7). Off for the operator's commands, which say so plainly.
    /// </param>
    public async Task<(CreateUserStatus Status, UserEntity? User)> CreateAsync(
        TenantId tenant, string email, string displayName, string roleId, string? password, CancellationToken ct = default, bool allowUnclaimed = false)
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
        var claimed = (await tables.TryAddAsync(TableNames.EmailIndex, index, ct)).Succeeded;
        if (!claimed)
        {
            var holder = await tables.FindAsync<EmailIndexEntity>(TableNames.EmailIndex, index.PartitionKey, "", ct);
            if (!allowUnclaimed || holder is null || holder.TenantId == tenant.Value) return (CreateUserStatus.EmailTaken, null);
        }
        try
        {
            var added = await tables.TrySubmitAsync(TableNames.Users,
            [
                new TableTransactionAction(TableTransactionActionType.Add, user),
                new TableTransactionAction(TableTransactionActionType.Add, UserListEntity.For(user)),
            ], ct);
            if (!added.Succeeded) throw new InvalidOperationException("A freshly generated user id already exists.");
        }
        catch
        {
            if (claimed) await tables.TryDeleteAsync(TableNames.EmailIndex, index.PartitionKey, "", Azure.ETag.All, CancellationToken.None);
            throw;
        }
        return (claimed ? CreateUserStatus.Created : CreateUserStatus.CreatedWithoutSignIn, user);
    }

    public Task<UserEntity?> FindAsync(TenantId tenant, string userId, CancellationToken ct = default) =>
        tables.FindAsync<UserEntity>(TableNames.Users, tenant.Value, UserEntity.RowKeyPrefix + userId, ct);

    public async Task<UserEntity?> FindByEmailAsync(string email, CancellationToken ct = default)
    {
        if (!EmailAddress.IsValid(email)) return null;
        var index = await tables.FindAsync<EmailIndexEntity>(TableNames.EmailIndex, EmailAddress.IndexKey(email), "", ct);
        if (index is not null && TenantId.IsValid(index.TenantId)) return await FindAsync(new TenantId(index.TenantId), index.UserId, ct);
        // An unknown email costs the same second point read as a known one, so sign-in timing does not tell whether
        // an account exists (OWASP ASVS 2.2). The key is one no user row can have (tenant ids are never empty).
        await tables.FindAsync<UserEntity>(TableNames.Users, "-", UserEntity.RowKeyPrefix + "-", ct);
        return null;
    }

    /// <summary>Replaces the user row (only if unchanged since read) and its list row, in one transaction.</summary>
    public Task<WriteResult> TryUpdateAsync(UserEntity user, CancellationToken ct = default) =>
        tables.TrySubmitAsync(TableNames.Users,
        [
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, user, user.ETag),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, UserListEntity.For(user)),
        ], ct);

    /// <summary>Removes the user, their list row and their email index row, when the address is theirs (not another tenant's user's).</summary>
    public async Task DeleteAsync(UserEntity user, CancellationToken ct = default)
    {
        await tables.TrySubmitAsync(TableNames.Users,
        [
            new TableTransactionAction(TableTransactionActionType.Delete, user, Azure.ETag.All),
            new TableTransactionAction(TableTransactionActionType.Delete, UserListEntity.For(user), Azure.ETag.All),
        ], ct);
        var index = await tables.FindAsync<EmailIndexEntity>(TableNames.EmailIndex, EmailAddress.IndexKey(user.Email), "", ct);
        if (index is not null && index.TenantId == user.PartitionKey && index.UserId == user.UserId)
            await tables.TryDeleteAsync(TableNames.EmailIndex, index.PartitionKey, "", index.ETag, ct);
    }

    /// <summary>
    /// Points the address at <paramref name="user"/> (the operator's remedy for an address another tenant claimed
    /// first). The previous holder, if any, must have been deleted or be deleted by the caller.
    /// </summary>
    public Task UpsertEmailIndexAsync(UserEntity user, CancellationToken ct = default) =>
        tables.UpsertAsync(TableNames.EmailIndex, new EmailIndexEntity
        {
            PartitionKey = EmailAddress.IndexKey(user.Email), RowKey = "", Email = user.Email, TenantId = user.PartitionKey, UserId = user.UserId,
        }, ct);

    /// <summary>A page of the tenant's users in email order; with <paramref name="search"/>, those whose email starts with it.</summary>
    public Task<TablePage<UserListEntity>> ListAsync(TenantId tenant, string? search, int pageSize, string? cursor, CancellationToken ct = default) =>
        reader.ReadPageAsync<UserListEntity>(RangeQuery.Prefix(TableNames.Users, tenant.Value, UserListEntity.RowKeyPrefix + KeyText.Normalize(search)), pageSize, cursor, ct);

    public void SetPassword(UserEntity user, string password) => user.PasswordHash = hasher.HashPassword(user, password);

    /// <summary>
    /// One hash verification whatever the case: a user without a password, or no user at all (an unknown email),
    /// is verified against a dummy hash, so neither is revealed by timing.
    /// </summary>
    public PasswordVerificationResult VerifyPassword(UserEntity? user, string password)
    {
        if (user?.PasswordHash is { } hash) return hasher.VerifyHashedPassword(user, hash, password);
        hasher.VerifyHashedPassword(DummyUser, DummyHash.Value, password);
        return PasswordVerificationResult.Failed;
    }

    private static readonly UserEntity DummyUser = new();
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<UserEntity>().HashPassword(DummyUser, Guid.NewGuid().ToString()));
}
