using Fractal.Functions.Secrets;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Hosting.Health;

/// <summary>Checks Table Storage and the secret store in parallel, each within a short deadline.</summary>
public sealed class HealthProbe(TableStore tables, ISecretStore secrets)
{
    internal static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public async Task<HealthReport> CheckAsync(CancellationToken ct)
    {
        var tableCheck = WithDeadline(CheckTablesAsync, ct);
        var secretCheck = WithDeadline(secrets.CheckHealthAsync, ct);
        return new HealthReport(await tableCheck.ConfigureAwait(false), await secretCheck.ConfigureAwait(false));
    }

    private async Task<DependencyHealth> CheckTablesAsync(CancellationToken ct)
    {
        try
        {
            // One page of one table name: cheap, and proves the endpoint answers and accepts our identity.
            await tables.Service.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages(pageSizeHint: 1).FirstAsync(ct).ConfigureAwait(false);
            return new DependencyHealth(true, "reachable");
        }
        catch (Azure.RequestFailedException e)
        {
            return new DependencyHealth(false, $"answered {e.Status}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new DependencyHealth(false, "unreachable");
        }
    }

    private static async Task<DependencyHealth> WithDeadline(Func<CancellationToken, Task<DependencyHealth>> check, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Deadline);
        try
        {
            return await check(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DependencyHealth(false, "timed out");
        }
    }
}

public sealed record HealthReport(DependencyHealth TableStorage, DependencyHealth SecretStore)
{
    public bool Healthy => TableStorage.Healthy && SecretStore.Healthy;
}
