using System.Security.Cryptography;
using System.Text.Json;
using Fractal.Functions.Secrets;
using Fractal.Functions.Storage;
using Microsoft.IdentityModel.Tokens;

namespace Fractal.Functions.OAuth.Keys;

/// <summary>One RSA signing key: its kid and the key (private part only where we sign).</summary>
public sealed record SigningKey(string Kid, RsaSecurityKey Key, DateTimeOffset CreatedAt);

/// <summary>
/// The access-token signing keys. Private keys live in the secret store; the ring row
/// (<c>ServiceKeys</c>, "signing"/"ring") names the current key and the previous ones still published in
/// JWKS. The first key is created under an insert-only guard so two instances cannot make two rings;
/// a rotation is an ETag-conditional update. Keys are cached; an unknown kid triggers one reload
/// (at most every few seconds) so every instance picks up a rotation made elsewhere.
/// </summary>
public sealed class SigningKeyRing(TableStore tables, ISecretStore secrets, TimeProvider time)
{
    private const string Partition = "signing";
    private const string RowKey = "ring";
    private const string SecretPurpose = "token-signing-key";
    /// <summary>How many retired keys stay published after a rotation (tokens they signed live at most a day).</summary>
    private const int PublishedPreviousKeys = 2;
    private static readonly TimeSpan MinReloadInterval = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile IReadOnlyList<SigningKey>? _keys;
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;

    /// <summary>The key to sign with (the ring's first).</summary>
    public async Task<SigningKey> CurrentAsync(CancellationToken ct = default) => (await KeysAsync(ct))[0];

    /// <summary>Every published key, current first.</summary>
    public async Task<IReadOnlyList<SigningKey>> KeysAsync(CancellationToken ct = default) =>
        _keys ?? await LoadAsync(force: false, ct);

    /// <summary>The key with this kid; reloads the ring once when the kid is unknown (a rotation elsewhere).</summary>
    public async Task<SigningKey?> FindAsync(string kid, CancellationToken ct = default)
    {
        var key = (await KeysAsync(ct)).FirstOrDefault(k => k.Kid == kid);
        if (key is not null || time.GetUtcNow() - _loadedAt < MinReloadInterval) return key;
        return (await LoadAsync(force: true, ct)).FirstOrDefault(k => k.Kid == kid);
    }

    /// <summary>Makes a new current key; the old current key stays published for tokens it signed.</summary>
    public async Task<SigningKey> RotateAsync(CancellationToken ct = default)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var ring = await tables.FindAsync<SigningKeyRingEntity>(TableNames.ServiceKeys, Partition, RowKey, ct);
            if (ring is null)
            {
                await LoadAsync(force: true, ct);
                continue;
            }
            var (entry, key) = await CreateKeyAsync(ct);
            var entries = ring.Entries;
            entries.Insert(0, entry);
            var retired = entries.Skip(1 + PublishedPreviousKeys).ToList();
            ring.Entries = entries.Take(1 + PublishedPreviousKeys).ToList();
            if ((await tables.TryReplaceAsync(TableNames.ServiceKeys, ring, ring.ETag, ct)).Succeeded)
            {
                foreach (var old in retired) await secrets.DeleteAsync(old.SecretName, ct);
                await LoadAsync(force: true, ct);
                return key;
            }
            await secrets.DeleteAsync(entry.SecretName, ct);
        }
        throw new InvalidOperationException("The signing key ring kept changing during rotation.");
    }

    private async Task<IReadOnlyList<SigningKey>> LoadAsync(bool force, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (!force && _keys is not null) return _keys;
            var ring = await tables.FindAsync<SigningKeyRingEntity>(TableNames.ServiceKeys, Partition, RowKey, ct);
            if (ring is null)
            {
                var (entry, _) = await CreateKeyAsync(ct);
                ring = new SigningKeyRingEntity { PartitionKey = Partition, RowKey = RowKey, Entries = [entry] };
                if (!(await tables.TryAddAsync(TableNames.ServiceKeys, ring, ct)).Succeeded)
                {
                    // Another instance created the ring first: use its key, drop ours.
                    await secrets.DeleteAsync(entry.SecretName, ct);
                    ring = await tables.FindAsync<SigningKeyRingEntity>(TableNames.ServiceKeys, Partition, RowKey, ct)
                           ?? throw new InvalidOperationException("The signing key ring vanished while being created.");
                }
            }
            var keys = new List<SigningKey>();
            foreach (var entry in ring.Entries)
            {
                var pem = await secrets.GetAsync(entry.SecretName, ct);
                if (pem is null) continue;
                var rsa = RSA.Create();
                rsa.ImportFromPem(pem);
                keys.Add(new SigningKey(entry.Kid, new RsaSecurityKey(rsa) { KeyId = entry.Kid }, entry.CreatedAt));
            }
            if (keys.Count == 0) throw new InvalidOperationException("No signing key could be read from the secret store.");
            _keys = keys;
            _loadedAt = time.GetUtcNow();
            return keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(SigningKeyEntry Entry, SigningKey Key)> CreateKeyAsync(CancellationToken ct)
    {
        var rsa = RSA.Create(2048);
        var kid = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12));
        var secretName = await secrets.CreateAsync(SecretPurpose, rsa.ExportPkcs8PrivateKeyPem(), ct);
        var now = time.GetUtcNow();
        return (new SigningKeyEntry(kid, secretName, now), new SigningKey(kid, new RsaSecurityKey(rsa) { KeyId = kid }, now));
    }
}

public sealed record SigningKeyEntry(string Kid, string SecretName, DateTimeOffset CreatedAt);

/// <summary><c>ServiceKeys</c> row "signing"/"ring": the published keys, current first (kid, secret name, created).</summary>
public sealed class SigningKeyRingEntity : StoredEntity
{
    public string Keys { get; set; } = "[]";

    [System.Runtime.Serialization.IgnoreDataMember]
    public List<SigningKeyEntry> Entries
    {
        get => JsonSerializer.Deserialize<List<SigningKeyEntry>>(Keys) ?? [];
        set => Keys = JsonSerializer.Serialize(value);
    }
}
