using Azure;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Secrets;
using Fractal.Functions.Storage;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Consumers;

/// <summary>A created consumer and, for confidential ones, the secret shown once to the person who created it.</summary>
public sealed record CreatedConsumer(ConsumerEntity Consumer, string? Secret);

/// <summary>
/// OAuth consumers of a tenant, their global key index, their list/search index and counter, and their
/// secrets in the secret store. The consumer row, its name-index row and the tenant's counter are always
/// written in one entity-group transaction (same partition), so the list and "Showing X of Y" never drift.
/// </summary>
public sealed class ConsumerStore(TableStore tables, PagedReader reader, ISecretStore secrets, TimeProvider time, ILogger<ConsumerStore> log)
{
    private const string SecretPurpose = "consumer-secret";
    private const int MaxAttempts = 10;

    public async Task<CreatedConsumer> CreateAsync(TenantId tenant, ConsumerDraft draft, CancellationToken ct = default)
    {
        var clientId = ClientSecrets.NewClientId();
        var now = time.GetUtcNow();
        var consumer = new ConsumerEntity { PartitionKey = tenant.Value, RowKey = ConsumerEntity.RowKeyPrefix + clientId, CreatedAt = now, UpdatedAt = now };
        Apply(consumer, draft);

        string? secret = null;
        if (!consumer.IsPublic)
        {
            secret = ClientSecrets.NewSecret();
            consumer.SecretName = await secrets.CreateAsync(SecretPurpose, secret, ct);
            consumer.SecretHash = ClientSecrets.Hash(secret);
            consumer.SecretPrefix = ClientSecrets.DisplayPrefix(secret);
        }

        // Steps in an order that leaves nothing half-made: secret, then the key index (the uniqueness guard),
        // then the rows; a failure undoes what was done before it. An outage can also strike after storage made a
        // write but before its answer arrived, so the rows are looked up before anything is undone: deleting the
        // secret of a consumer row that was stored would leave a consumer without its secret
        // (Reliability/HalfResultTests, "answer lost" cuts). When even that look-up fails nothing is undone: a stray
        // secret or index row names no consumer and authenticates nothing.
        var indexMayExist = false;
        var undo = true;
        try
        {
            indexMayExist = true;
            var index = await tables.TryAddAsync(TableNames.ClientIndex, new ClientIndexEntity { PartitionKey = clientId, RowKey = "", TenantId = tenant.Value }, ct);
            if (!index.Succeeded)
            {
                indexMayExist = false; // another consumer's row: never ours to delete
                throw new InvalidOperationException("A freshly generated client_id already exists.");
            }
            try
            {
                await WriteWithCounterAsync(tenant, +1, [
                    new TableTransactionAction(TableTransactionActionType.Add, consumer),
                    new TableTransactionAction(TableTransactionActionType.Add, ConsumerListEntity.For(consumer)),
                ], ct);
            }
            catch (Exception e) when (StorageFaults.IsTransient(e, ct))
            {
                undo = false;
                var stored = await tables.FindAsync<ConsumerEntity>(TableNames.Consumers, tenant.Value, consumer.RowKey, CancellationToken.None);
                if (stored is not null) return new CreatedConsumer(stored, secret);
                undo = true;
                throw;
            }
        }
        catch when (undo)
        {
            if (indexMayExist) await tables.TryDeleteAsync(TableNames.ClientIndex, clientId, "", ETag.All, CancellationToken.None);
            if (consumer.SecretName is not null) await secrets.DeleteAsync(consumer.SecretName, CancellationToken.None);
            throw;
        }
        return new CreatedConsumer(consumer, secret);
    }

    /// <summary>Applies an edit; <see cref="WriteStatus.Conflict"/> when the consumer changed since it was read.</summary>
    public async Task<WriteResult> UpdateAsync(ConsumerEntity consumer, ConsumerDraft draft, CancellationToken ct = default)
    {
        var oldList = ConsumerListEntity.For(consumer);
        var etag = consumer.ETag;
        Apply(consumer, draft with { ClientType = consumer.ClientType }); // the client type is fixed at creation
        consumer.UpdatedAt = time.GetUtcNow();
        var newList = ConsumerListEntity.For(consumer);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, consumer, etag) };
        if (oldList.RowKey == newList.RowKey)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, newList));
        }
        else
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, oldList, ETag.All));
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, newList));
        }
        return await tables.TrySubmitAsync(TableNames.Consumers, actions, ct);
    }

    /// <summary>
    /// Gives a confidential consumer a new secret (a new secret-store name), effective at once everywhere
    /// because the token endpoint checks the hash in this row. Returns the new secret, or null on a lost race.
    /// </summary>
    public async Task<string?> RotateSecretAsync(ConsumerEntity consumer, CancellationToken ct = default)
    {
        if (consumer.IsPublic) throw new InvalidOperationException("A public consumer has no secret.");
        var secret = ClientSecrets.NewSecret();
        var newName = await secrets.CreateAsync(SecretPurpose, secret, ct);
        var oldName = consumer.SecretName;
        var etag = consumer.ETag;
        consumer.SecretName = newName;
        consumer.SecretHash = ClientSecrets.Hash(secret);
        consumer.SecretPrefix = ClientSecrets.DisplayPrefix(secret);
        consumer.UpdatedAt = time.GetUtcNow();
        WriteResult result;
        try
        {
            result = await tables.TrySubmitAsync(TableNames.Consumers,
            [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, consumer, etag),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, ConsumerListEntity.For(consumer)),
            ], ct);
        }
        catch (Exception e) when (StorageFaults.IsTransient(e, ct))
        {
            // The switch may have been made with its answer lost: look before undoing. Switched → the rotation is done
            // (answering 503 would leave the old secret refused and the new one unseen); not switched → the new secret
            // goes; unknown (the look-up fails too) → nothing is undone, a stray new secret names no consumer.
            var stored = await tables.FindAsync<ConsumerEntity>(TableNames.Consumers, consumer.PartitionKey, consumer.RowKey, CancellationToken.None);
            if (stored?.SecretName != newName)
            {
                await secrets.DeleteAsync(newName, CancellationToken.None);
                throw;
            }
            result = new WriteResult(WriteStatus.Succeeded, stored.ETag);
        }
        if (!result.Succeeded)
        {
            await secrets.DeleteAsync(newName, CancellationToken.None);
            return null;
        }
        if (oldName is not null)
        {
            try
            {
                await secrets.DeleteAsync(oldName, ct);
            }
            catch (Exception e) when (StorageFaults.IsTransient(e, ct))
            {
                // The row already names the new secret, so the rotation is done and the old one authenticates nothing (the
                // token endpoint checks the row's hash). Failing here would answer 503 and lose the new secret, shown only
                // once, while the old one is already refused: the consumer left with no secret anyone holds
                // (Reliability/HalfResultTests). The old value stays in the vault, unnamed by any row, for clean-up.
                log.LogWarning("The replaced secret {SecretName} of consumer {ClientId} was not deleted: the secret store failed", oldName, consumer.ClientId);
            }
        }
        return secret;
    }

    /// <summary>Deletes the consumer's rows, its key index and its secret (grants are revoked by the caller first).</summary>
    public async Task DeleteAsync(ConsumerEntity consumer, CancellationToken ct = default)
    {
        var tenant = new TenantId(consumer.PartitionKey);
        var list = ConsumerListEntity.For(consumer);
        await WriteWithCounterAsync(tenant, -1, [
            new TableTransactionAction(TableTransactionActionType.Delete, consumer, ETag.All),
            new TableTransactionAction(TableTransactionActionType.Delete, list, ETag.All),
        ], ct);
        await tables.TryDeleteAsync(TableNames.ClientIndex, consumer.ClientId, "", ETag.All, ct);
        if (consumer.SecretName is not null) await secrets.DeleteAsync(consumer.SecretName, ct);
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

    /// <summary>
    /// Adds a client of no tenant to the tenant's consumers list at its first authorization by one of the
    /// tenant's people (idempotent: a second consent, or two at once, leave one entry and count it once).
    /// </summary>
    public async Task LinkGlobalClientAsync(TenantId tenant, OAuth.Clients.OAuthClient client, CancellationToken ct = default)
    {
        var key = LinkedClientEntity.RowKeyPrefix + OAuth.Clients.ClientKey.Of(client.ClientId);
        var kind = client.Kind == OAuth.Clients.ClientKind.Dynamic ? "dynamic" : "metadata_document";
        var clientType = client.IsPublic ? ClientTypes.Public : ClientTypes.Confidential;
        var now = time.GetUtcNow();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await tables.FindAsync<LinkedClientEntity>(TableNames.Consumers, tenant.Value, key, ct) is not null) return;
            var link = new LinkedClientEntity { PartitionKey = tenant.Value, RowKey = key, ClientId = client.ClientId, Name = client.Name, Kind = kind, ClientType = clientType, LinkedAt = now };
            var list = new ConsumerListEntity
            {
                PartitionKey = tenant.Value,
                RowKey = $"{ConsumerListEntity.RowKeyPrefix}{KeyText.Normalize(client.Name)}|{OAuth.Clients.ClientKey.Of(client.ClientId)}",
                ClientId = client.ClientId, Name = client.Name, ClientType = clientType, CreatedAt = now, Kind = kind,
            };
            var counter = await tables.FindAsync<ConsumerCounterEntity>(TableNames.Consumers, tenant.Value, ConsumerCounterEntity.Key, ct);
            TableTransactionAction counterAction = counter is null
                ? new(TableTransactionActionType.Add, new ConsumerCounterEntity { PartitionKey = tenant.Value, RowKey = ConsumerCounterEntity.Key, Count = 1 })
                : new(TableTransactionActionType.UpdateReplace, new ConsumerCounterEntity { PartitionKey = tenant.Value, RowKey = ConsumerCounterEntity.Key, Count = counter.Count + 1 }, counter.ETag);
            var result = await tables.TrySubmitAsync(TableNames.Consumers, [
                new TableTransactionAction(TableTransactionActionType.Add, link),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, list),
                counterAction,
            ], ct);
            if (result.Succeeded) return;
        }
        throw new InvalidOperationException("The consumers counter kept changing; try again.");
    }

    /// <summary>A client of no tenant that the tenant's people authorized (for names in lists), or null.</summary>
    public Task<LinkedClientEntity?> FindLinkedAsync(TenantId tenant, string clientId, CancellationToken ct = default) =>
        tables.FindAsync<LinkedClientEntity>(TableNames.Consumers, tenant.Value, LinkedClientEntity.RowKeyPrefix + OAuth.Clients.ClientKey.Of(clientId), ct);

    /// <summary>One page of the tenant's consumers in name order; with <paramref name="search"/>, those whose name starts with it.</summary>
    public Task<TablePage<ConsumerListEntity>> ListAsync(TenantId tenant, string? search, int pageSize, string? cursor, CancellationToken ct = default) =>
        reader.ReadPageAsync<ConsumerListEntity>(
            RangeQuery.Prefix(TableNames.Consumers, tenant.Value, ConsumerListEntity.RowKeyPrefix + KeyText.Normalize(search)), pageSize, cursor, ct);

    /// <summary>How many consumers the tenant has (a counter row, never a count by scan).</summary>
    public async Task<int> CountAsync(TenantId tenant, CancellationToken ct = default) =>
        (await tables.FindAsync<ConsumerCounterEntity>(TableNames.Consumers, tenant.Value, ConsumerCounterEntity.Key, ct))?.Count ?? 0;

    /// <summary>The current secret's value from the secret store (for an audited reveal, or the demo seed).</summary>
    public async Task<string?> RevealSecretAsync(ConsumerEntity consumer, CancellationToken ct = default) =>
        consumer.SecretName is null ? null : await secrets.GetAsync(consumer.SecretName, ct);

    private async Task WriteWithCounterAsync(TenantId tenant, int delta, IReadOnlyList<TableTransactionAction> actions, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var counter = await tables.FindAsync<ConsumerCounterEntity>(TableNames.Consumers, tenant.Value, ConsumerCounterEntity.Key, ct);
            TableTransactionAction counterAction = counter is null
                ? new(TableTransactionActionType.Add, new ConsumerCounterEntity { PartitionKey = tenant.Value, RowKey = ConsumerCounterEntity.Key, Count = Math.Max(0, delta) })
                : new(TableTransactionActionType.UpdateReplace, new ConsumerCounterEntity { PartitionKey = tenant.Value, RowKey = ConsumerCounterEntity.Key, Count = Math.Max(0, counter.Count + delta) }, counter.ETag);
            var result = await tables.TrySubmitAsync(TableNames.Consumers, [.. actions, counterAction], ct);
            if (result.Succeeded) return;
            if (result.Status == WriteStatus.NotFound) throw new InvalidOperationException("The consumer changed while being written.");
        }
        throw new InvalidOperationException("The consumer counter kept changing; try again.");
    }

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
