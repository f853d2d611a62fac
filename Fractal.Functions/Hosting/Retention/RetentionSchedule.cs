namespace Fractal.Functions.Hosting.Retention;

/// <summary>When the job runs: daily at 03:30 UTC, a quiet hour for both hosts (the timer's NCRONTAB says the same).</summary>
public static class RetentionSchedule
{
    public const string Cron = "0 30 3 * * *";
    private static readonly TimeSpan TimeOfDay = new(3, 30, 0);

    public static DateTimeOffset NextAfter(DateTimeOffset now)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date + TimeOfDay, TimeSpan.Zero);
        return today > now ? today : today.AddDays(1);
    }
}
