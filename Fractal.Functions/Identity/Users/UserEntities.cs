using System.Runtime.Serialization;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Identity.Users;

/// <summary><c>Users</c> row, PartitionKey = tenant id, RowKey "user|&lt;user id&gt;".</summary>
public sealed class UserEntity : StoredEntity
{
    public const string RowKeyPrefix = "user|";
    public string Email { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string RoleId { get; set; } = "";
    public bool Enabled { get; set; } = true;
    /// <summary>ASP.NET Core Identity PasswordHasher output (PBKDF2, salted); never the password.</summary>
    public string? PasswordHash { get; set; }
    public bool MustChangePassword { get; set; }
    /// <summary>Raised when the user is disabled or their password is reset: every older session stops working.</summary>
    public int SessionEpoch { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    [IgnoreDataMember]
    public string UserId => RowKey[RowKeyPrefix.Length..];
    [IgnoreDataMember]
    public TenantId Tenant => new(PartitionKey);
}

/// <summary>
/// <c>EmailIndex</c> row: PartitionKey = SHA-256 of the normalised email, RowKey "". Emails are globally
/// unique, so sign-in finds the tenant from the email with one point read.
/// </summary>
public sealed class EmailIndexEntity : StoredEntity
{
    public string Email { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string UserId { get; set; } = "";
}

/// <summary>
/// <c>Users</c> row, PartitionKey = tenant id, RowKey "email|&lt;normalised email&gt;|&lt;user id&gt;": the
/// tenant's user list in email order and its prefix search, written in the user row's transaction.
/// </summary>
public sealed class UserListEntity : StoredEntity
{
    public const string RowKeyPrefix = "email|";
    public string UserId { get; set; } = "";
    public string Email { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string RoleId { get; set; } = "";
    public bool Enabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public static UserListEntity For(UserEntity user) => new()
    {
        PartitionKey = user.PartitionKey,
        RowKey = $"{RowKeyPrefix}{Storage.KeyText.Normalize(user.Email)}|{user.UserId}",
        UserId = user.UserId, Email = user.Email, DisplayName = user.DisplayName, RoleId = user.RoleId, Enabled = user.Enabled, CreatedAt = user.CreatedAt,
    };
}
