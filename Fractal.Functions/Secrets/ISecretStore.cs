namespace Fractal.Functions.Secrets;

/// <summary>
/// Holds secret values (consumer secrets, signing keys). Tables hold only a secret's name and a hash.
/// Names are never reused: Key Vault's soft delete and purge protection keep a deleted name taken for
/// up to 90 days, so each new value gets a new name carrying a unique generation id
/// (<see cref="SecretName.NewGeneration"/>).
/// </summary>
public interface ISecretStore
{
    /// <summary>Stores <paramref name="value"/> under a new, never-used name for <paramref name="purpose"/> and returns that name.</summary>
    Task<string> CreateAsync(string purpose, string value, CancellationToken ct = default);

    /// <summary>The value stored under <paramref name="name"/>, or null when there is none (never created, or deleted).</summary>
    Task<string?> GetAsync(string name, CancellationToken ct = default);

    /// <summary>Deletes the secret; deleting a missing name is not an error.</summary>
    Task DeleteAsync(string name, CancellationToken ct = default);

    /// <summary>Whether the store answers (for /health); never throws.</summary>
    Task<DependencyHealth> CheckHealthAsync(CancellationToken ct = default);
}

/// <summary>The state of one dependency as /health reports it. <paramref name="Detail"/> never carries a secret.</summary>
public sealed record DependencyHealth(bool Healthy, string Detail);
