using System.Collections.Concurrent;
using Azure;
using Azure.Security.KeyVault.Secrets;

namespace Fractal.Functions.Secrets;

/// <summary>
/// Secrets in Azure Key Vault through <see cref="SecretClient"/> (DefaultAzureCredential or a managed identity).
/// Values are cached briefly in memory: a name is written once and never reused, so a cached value can
/// only be stale in one way (deleted elsewhere), and the token endpoint never relies on this store for
/// that (it checks the hash in the consumer's row).
/// </summary>
public sealed class KeyVaultSecretStore(SecretClient client, TimeProvider time) : ISecretStore
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);
    private const string HealthProbeName = "fractal-health-probe";
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public async Task<string> CreateAsync(string purpose, string value, CancellationToken ct = default)
    {
        var name = SecretName.NewGeneration(purpose);
        var secret = new KeyVaultSecret(name, value) { Properties = { ContentType = "text/plain" } };
        secret.Properties.Tags["purpose"] = purpose;
        await client.SetSecretAsync(secret, ct).ConfigureAwait(false);
        _cache[name] = (value, time.GetUtcNow() + CacheLifetime);
        return name;
    }

    public async Task<string?> GetAsync(string name, CancellationToken ct = default)
    {
        if (!SecretName.IsValid(name)) return null;
        if (_cache.TryGetValue(name, out var hit) && hit.Expires > time.GetUtcNow()) return hit.Value;
        try
        {
            var response = await client.GetSecretAsync(name, cancellationToken: ct).ConfigureAwait(false);
            var value = response.Value.Value;
            _cache[name] = (value, time.GetUtcNow() + CacheLifetime);
            return value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            _cache.TryRemove(name, out _);
            return null;
        }
    }

    public async Task DeleteAsync(string name, CancellationToken ct = default)
    {
        _cache.TryRemove(name, out _);
        if (!SecretName.IsValid(name)) return;
        try
        {
            // Soft delete: with purge protection the name stays reserved; we never write it again.
            await client.StartDeleteSecretAsync(name, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409)
        {
            // Already gone, or already being deleted.
        }
    }

    public async Task<DependencyHealth> CheckHealthAsync(CancellationToken ct = default)
    {
        try
        {
            // A point read of a name that never exists: 404 proves the vault answers and accepts our identity.
            await client.GetSecretAsync(HealthProbeName, cancellationToken: ct).ConfigureAwait(false);
            return new DependencyHealth(true, "reachable");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return new DependencyHealth(true, "reachable");
        }
        catch (RequestFailedException e)
        {
            return new DependencyHealth(false, $"answered {e.Status}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new DependencyHealth(false, "unreachable");
        }
    }
}
