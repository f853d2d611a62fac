using Fractal.Functions.Hosting.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Hosting.Retention;

/// <summary>
/// In the standalone host (which runs no timer triggers): the retention job daily at <see cref="RetentionSchedule"/>,
/// on the app's <see cref="TimeProvider"/>. Several standalone instances each run it; the deletes are conditional, so
/// that only repeats work.
/// </summary>
public sealed class RetentionService(RetentionJob job, IOptions<RetentionOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.StandaloneEnabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            await Task.Delay(RetentionSchedule.NextAfter(now) - now, time, stoppingToken);
            await job.RunAsync(stoppingToken);
        }
    }
}
