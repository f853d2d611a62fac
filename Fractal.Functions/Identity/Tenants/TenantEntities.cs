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
    /// <summary>Whether dynamically registered clients (RFC 7591) may be authorized by this tenant's people.</summary>
    public bool DynamicClientsAllowed { get; set; } = true;
    /// <summary>Space-separated hosts whose client ID metadata documents this tenant's people may authorize.</summary>
    public string MetadataDocumentHosts { get; set; } = DefaultMetadataDocumentHosts;
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>ChatGPT's and Claude's metadata documents (https://chatgpt.com/oauth/client.json, https://claude.ai/oauth/...).</summary>
    public const string DefaultMetadataDocumentHosts = "chatgpt.com claude.ai";

    [IgnoreDataMember]
    public IReadOnlyList<string> MetadataDocumentHostList => MetadataDocumentHosts.Split(' ', StringSplitOptions.RemoveEmptyEntries);
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
