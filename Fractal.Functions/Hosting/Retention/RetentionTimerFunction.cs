using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Hosting.Retention;

/// <summary>Under the Functions host: the retention job on a timer (one instance runs it; the host holds a lease).</summary>
public sealed class RetentionTimerFunction(RetentionJob job)
{
    [Function("Retention")]
    public Task Run([TimerTrigger(RetentionSchedule.Cron)] TimerInfo timer, CancellationToken ct) => job.RunAsync(ct);
}
