using System.Runtime.Serialization;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Identity.Tenants;

/// <summary><c>Tenants</c> row, PartitionKey = tenant id, RowKey "profile".</summary>
public sealed class TenantEntity : StoredEntity
{
    public const string ProfileRowKey = "profile";
    public string Name { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    /// <summary>Tenant switch: when false no tokens are issued and MCP calls are refused.</summary>
    public bool McpEnabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary><c>Tenants</c> row, PartitionKey = tenant id, RowKey "role|&lt;role id&gt;": a permission group.</summary>
public sealed class RoleEntity : StoredEntity
{
    public const string RowKeyPrefix = "role|";
    public string Name { get; set; } = "";
    /// <summary>Space-separated permission names.</summary>
    public string Permissions { get; set; } = "";

    [IgnoreDataMember]
    public string RoleId => RowKey[RowKeyPrefix.Length..];
    [IgnoreDataMember]
    public IReadOnlyList<string> PermissionList => Permissions.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
