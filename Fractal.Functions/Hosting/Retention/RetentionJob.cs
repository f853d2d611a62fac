using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Hosting.Retention;

/// <summary>One kind of row that outlives its use; deletes what is past its retention and says how many.</summary>
public interface IRetentionPurger
{
    string Name { get; }
    Task<int> PurgeAsync(CancellationToken ct);
}

/// <summary>
/// Runs every registered <see cref="IRetentionPurger"/> once: the timer function (Functions host) and the hosted
/// service (standalone) both call it. A purger that fails (storage down) is logged and the others still run; the next
/// run picks up what was left. Adding a purger is one registration in ServiceComposition.
/// </summary>
public sealed class RetentionJob(IEnumerable<IRetentionPurger> purgers, ILogger<RetentionJob> logger)
{
    public async Task<IReadOnlyDictionary<string, int>> RunAsync(CancellationToken ct)
    {
        var purged = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var purger in purgers)
        {
            try
            {
                purged[purger.Name] = await purger.PurgeAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning("Retention purger {Purger} failed: {Fault}; the next run continues.", purger.Name, e.GetType().Name);
                purged[purger.Name] = -1;
            }
        }
        logger.LogInformation("Retention run: {Purged}", string.Join(", ", purged.Select(p => $"{p.Key}={p.Value}")));
        return purged;
    }
}
