using System.Collections.Concurrent;
using System.Security.Cryptography;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Secrets;

/// <summary>
/// Keys the service itself needs (for example the paging-cursor MAC key): the value in the secret store,
/// a pointer row in <c>ServiceKeys</c> naming the secret. The first instance to need a key creates it;
/// the pointer row is inserted with an insert-only write, so two instances racing cannot end up with two
/// different keys: the loser deletes its own secret and uses the winner's.
/// </summary>
public sealed class ServiceKeyStore(TableStore tables, ISecretStore secrets, TimeProvider time)
{
    private const string Partition = "key";
    private readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> _keys = new(StringComparer.Ordinal);

    /// <summary>The 256-bit key for <paramref name="purpose"/>, created on first use.</summary>
    public async Task<byte[]> GetOrCreateAsync(string purpose, CancellationToken ct = default)
    {
        var lazy = _keys.GetOrAdd(purpose, p => new Lazy<Task<byte[]>>(() => LoadOrCreateAsync(p, CancellationToken.None)));
        try
        {
            return await lazy.Value.WaitAsync(ct).ConfigureAwait(false);
        }
        catch when (!ct.IsCancellationRequested)
        {
            _keys.TryRemove(new KeyValuePair<string, Lazy<Task<byte[]>>>(purpose, lazy));
            throw;
        }
    }

    private async Task<byte[]> LoadOrCreateAsync(string purpose, CancellationToken ct)
    {
        var existing = await tables.FindAsync<ServiceKeyEntity>(TableNames.ServiceKeys, Partition, purpose, ct).ConfigureAwait(false);
        if (existing is not null) return await ReadAsync(existing, ct).ConfigureAwait(false);

        var value = RandomNumberGenerator.GetBytes(32);
        var secretName = await secrets.CreateAsync(purpose, Convert.ToBase64String(value), ct).ConfigureAwait(false);
        var row = new ServiceKeyEntity { PartitionKey = Partition, RowKey = purpose, SecretName = secretName, CreatedAt = time.GetUtcNow() };
        var added = await tables.TryAddAsync(TableNames.ServiceKeys, row, ct).ConfigureAwait(false);
        if (added.Succeeded) return value;

        // Another instance won the race: use its key, drop ours.
        await secrets.DeleteAsync(secretName, ct).ConfigureAwait(false);
        var winner = await tables.FindAsync<ServiceKeyEntity>(TableNames.ServiceKeys, Partition, purpose, ct).ConfigureAwait(false)
                     ?? throw new InvalidOperationException($"Service key '{purpose}' vanished while being created.");
        return await ReadAsync(winner, ct).ConfigureAwait(false);
    }

    private async Task<byte[]> ReadAsync(ServiceKeyEntity row, CancellationToken ct)
    {
        var value = await secrets.GetAsync(row.SecretName, ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Service key '{row.RowKey}' points to a secret that does not exist.");
        return Convert.FromBase64String(value);
    }
}

/// <summary>Row of <c>ServiceKeys</c>: PartitionKey "key", RowKey = purpose; holds the secret's name only.</summary>
public sealed class ServiceKeyEntity : StoredEntity
{
    public string SecretName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
