using Azure;
using Fractal.Functions.Identity;
using Fractal.Functions.Secrets;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Consumers;

/// <summary>A created consumer and, for confidential ones, the secret shown once to the person who created it.</summary>
public sealed record CreatedConsumer(ConsumerEntity Consumer, string? Secret);

/// <summary>OAuth consumers of a tenant, their global key index, and their secrets in the secret store.</summary>
public sealed class ConsumerStore(TableStore tables, ISecretStore secrets, TimeProvider time)
{
    private const string SecretPurpose = "consumer-secret";

    public async Task<CreatedConsumer> CreateAsync(TenantId tenant, ConsumerDraft draft, CancellationToken ct = default)
    {
        var clientId = ClientSecrets.NewClientId();
        var now = time.GetUtcNow();
        var consumer = new ConsumerEntity
        {
            PartitionKey = tenant.Value,
            RowKey = ConsumerEntity.RowKeyPrefix + clientId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        Apply(consumer, draft);

        string? secret = null;
        if (!consumer.IsPublic)
        {
            secret = ClientSecrets.NewSecret();
            consumer.SecretName = await secrets.CreateAsync(SecretPurpose, secret, ct);
            consumer.SecretHash = ClientSecrets.Hash(secret);
            consumer.SecretPrefix = ClientSecrets.DisplayPrefix(secret);
        }

        // Steps in an order that leaves nothing half-made: secret, then the index (the uniqueness guard),
        // then the row; a failure undoes what was done before it.
        try
        {
            var index = await tables.TryAddAsync(TableNames.ClientIndex, new ClientIndexEntity { PartitionKey = clientId, RowKey = "", TenantId = tenant.Value }, ct);
            if (!index.Succeeded) throw new InvalidOperationException("A freshly generated client_id already exists.");
            try
            {
                if (!(await tables.TryAddAsync(TableNames.Consumers, consumer, ct)).Succeeded)
                    throw new InvalidOperationException("A freshly generated consumer row already exists.");
            }
            catch
            {
                await tables.TryDeleteAsync(TableNames.ClientIndex, clientId, "", ETag.All, CancellationToken.None);
                throw;
            }
        }
        catch
        {
            if (consumer.SecretName is not null) await secrets.DeleteAsync(consumer.SecretName, CancellationToken.None);
            throw;
        }
        return new CreatedConsumer(consumer, secret);
    }

    public Task<ConsumerEntity?> FindAsync(TenantId tenant, string clientId, CancellationToken ct = default) =>
        IsWellFormed(clientId)
            ? tables.FindAsync<ConsumerEntity>(TableNames.Consumers, tenant.Value, ConsumerEntity.RowKeyPrefix + clientId, ct)
            : Task.FromResult<ConsumerEntity?>(null);

    /// <summary>The consumer with this client_id in whatever tenant owns it (index, then row).</summary>
    public async Task<ConsumerEntity?> FindByClientIdAsync(string clientId, CancellationToken ct = default)
    {
        if (!IsWellFormed(clientId)) return null;
        var index = await tables.FindAsync<ClientIndexEntity>(TableNames.ClientIndex, clientId, "", ct);
        return index is null || !TenantId.IsValid(index.TenantId) ? null : await FindAsync(new TenantId(index.TenantId), clientId, ct);
    }

    /// <summary>The current secret's value from the secret store (for an audited reveal, or the demo seed).</summary>
    public async Task<string?> RevealSecretAsync(ConsumerEntity consumer, CancellationToken ct = default) =>
        consumer.SecretName is null ? null : await secrets.GetAsync(consumer.SecretName, ct);

    internal static void Apply(ConsumerEntity consumer, ConsumerDraft draft)
    {
        consumer.Name = draft.Name.Trim();
        consumer.Description = draft.Description.Trim();
        consumer.ClientType = draft.ClientType;
        consumer.CallbackUrlList = draft.CallbackUrls;
        consumer.Url = NullIfEmpty(draft.Url);
        consumer.PrivacyPolicyUrl = NullIfEmpty(draft.PrivacyPolicyUrl);
        consumer.EulaUrl = NullIfEmpty(draft.EulaUrl);
        consumer.PermissionGroup = draft.PermissionGroup;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Table keys refuse / \ # ? and control characters; a client_id is also bounded in length.</summary>
    internal static bool IsWellFormed(string? clientId) =>
        !string.IsNullOrEmpty(clientId) && clientId.Length <= 200 && !clientId.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
}
