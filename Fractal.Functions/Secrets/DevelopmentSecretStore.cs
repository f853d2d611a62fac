using System.Text.Json;
using Fractal.Functions.Hosting.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Secrets;

/// <summary>
/// Secrets in a local JSON file, for the local run command only. It refuses to exist outside the
/// Development environment (the options validation says the same at start-up), so a misconfigured
/// production app cannot quietly keep secrets on disk.
/// </summary>
public sealed class DevelopmentSecretStore : ISecretStore
{
    private readonly string _path;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public DevelopmentSecretStore(IOptions<SecretsOptions> options, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment())
            throw new InvalidOperationException("The development secret store is only available in the Development environment.");
        _path = Path.GetFullPath(options.Value.DevelopmentFilePath);
    }

    public async Task<string> CreateAsync(string purpose, string value, CancellationToken ct = default)
    {
        var name = SecretName.NewGeneration(purpose);
        await UpdateAsync(all => all[name] = value, ct).ConfigureAwait(false);
        return name;
    }

    public async Task<string?> GetAsync(string name, CancellationToken ct = default)
    {
        var all = await ReadAsync(ct).ConfigureAwait(false);
        return all.GetValueOrDefault(name);
    }

    public Task DeleteAsync(string name, CancellationToken ct = default) =>
        UpdateAsync(all => all.Remove(name), ct);

    public Task<DependencyHealth> CheckHealthAsync(CancellationToken ct = default) =>
        Task.FromResult(new DependencyHealth(true, "development file store"));

    private async Task UpdateAsync(Action<Dictionary<string, string>> change, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var all = await LoadAsync(ct).ConfigureAwait(false);
            change(all);
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temp = _path + ".tmp";
            await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(all), ct).ConfigureAwait(false);
            File.Move(temp, _path, overwrite: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Dictionary<string, string>> ReadAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await LoadAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Dictionary<string, string>> LoadAsync(CancellationToken ct)
    {
        if (!File.Exists(_path)) return new Dictionary<string, string>(StringComparer.Ordinal);
        await using var stream = File.OpenRead(_path);
        return await JsonSerializer.DeserializeAsync<Dictionary<string, string>>(stream, cancellationToken: ct).ConfigureAwait(false)
               ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }
}
