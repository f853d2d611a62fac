using System.Runtime.Serialization;
using System.Text.Json;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Consumers;

public static class ClientTypes
{
    /// <summary>Can keep a secret (a server such as ChatGPT's connector backend): authenticates with it at the token endpoint.</summary>
    public const string Confidential = "confidential";
    /// <summary>Cannot keep a secret (a desktop or browser app): no secret, PKCE only (token_endpoint_auth_method "none").</summary>
    public const string Public = "public";
}

/// <summary>
/// <c>Consumers</c> row, PartitionKey = tenant id, RowKey "consumer|&lt;client_id&gt;": an OAuth consumer
/// (client). The secret's value is only in the secret store; the row holds its SHA-256 hash (what the token
/// endpoint verifies, so a rotation is effective at once on every instance), the secret's store name
/// (generation) and a 4-character display prefix.
/// </summary>
public sealed class ConsumerEntity : StoredEntity
{
    public const string RowKeyPrefix = "consumer|";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string ClientType { get; set; } = ClientTypes.Confidential;
    public string GrantType { get; set; } = "authorization_code";
    public string? SecretHash { get; set; }
    public string? SecretName { get; set; }
    public string? SecretPrefix { get; set; }
    /// <summary>JSON array of exact callback URLs.</summary>
    public string CallbackUrls { get; set; } = "[]";
    public string? Url { get; set; }
    public string? PrivacyPolicyUrl { get; set; }
    public string? EulaUrl { get; set; }
    /// <summary>The role id chosen as permission group (informational: the signed-in user's own permissions apply).</summary>
    public string PermissionGroup { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    [IgnoreDataMember]
    public string ClientId => RowKey[RowKeyPrefix.Length..];
    [IgnoreDataMember]
    public bool IsPublic => ClientType == ClientTypes.Public;

    [IgnoreDataMember]
    public IReadOnlyList<string> CallbackUrlList
    {
        get => JsonSerializer.Deserialize<List<string>>(CallbackUrls) ?? [];
        set => CallbackUrls = JsonSerializer.Serialize(value);
    }
}

/// <summary><c>ClientIndex</c> row: PartitionKey = client_id, RowKey "". Keys are globally unique; this finds the tenant.</summary>
public sealed class ClientIndexEntity : StoredEntity
{
    public string TenantId { get; set; } = "";
}

/// <summary>
/// <c>Consumers</c> row, PartitionKey = tenant id, RowKey "name|&lt;normalised name&gt;|&lt;client_id&gt;": the
/// list and search index (name order; prefix search), carrying what the list shows so a page is one range read.
/// </summary>
public sealed class ConsumerListEntity : StoredEntity
{
    public const string RowKeyPrefix = "name|";
    public string ClientId { get; set; } = "";
    public string Name { get; set; } = "";
    public string ClientType { get; set; } = "";
    public string? SecretPrefix { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Null for the tenant's own consumers; <c>dynamic</c> or <c>metadata_document</c> for a client of no tenant that one of its people authorized.</summary>
    public string? Kind { get; set; }

    public static ConsumerListEntity For(ConsumerEntity consumer) => new()
    {
        PartitionKey = consumer.PartitionKey,
        RowKey = $"{RowKeyPrefix}{Storage.KeyText.Normalize(consumer.Name)}|{consumer.ClientId}",
        ClientId = consumer.ClientId,
        Name = consumer.Name,
        ClientType = consumer.ClientType,
        SecretPrefix = consumer.SecretPrefix,
        CreatedAt = consumer.CreatedAt,
    };
}

/// <summary><c>Consumers</c> row, PartitionKey = tenant id, RowKey "counter": how many consumers the tenant has.</summary>
public sealed class ConsumerCounterEntity : StoredEntity
{
    public const string Key = "counter";
    public int Count { get; set; }
}

/// <summary>
/// <c>Consumers</c> row, PartitionKey = tenant id, RowKey "linked|&lt;client key&gt;": a client of no tenant
/// (dynamic or metadata document) that one of the tenant's people authorized, so the tenant's consumers
/// list shows it (with a list row <c>name|…</c> whose <see cref="ConsumerListEntity.Kind"/> says which kind).
/// Written once, at the first consent, with the list row and the counter in one transaction.
/// </summary>
public sealed class LinkedClientEntity : StoredEntity
{
    public const string RowKeyPrefix = "linked|";
    public string ClientId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string ClientType { get; set; } = "";
    public DateTimeOffset LinkedAt { get; set; }
}
