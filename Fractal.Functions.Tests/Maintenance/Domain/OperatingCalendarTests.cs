using Fractal.Functions.Maintenance.Domain.Tenancy;
using Fractal.Functions.Maintenance.Kpis;

namespace Fractal.Functions.Tests.Maintenance.Domain;

public sealed class OperatingCalendarTests
{
    private static readonly TenantClock Santiago = TenantClock.For("America/Santiago");

    /// <summary>Monday to Friday 08:00-18:00 local, closed on New Year's Day.</summary>
    private static readonly OperatingCalendar Weekdays = new(
        new Dictionary<DayOfWeek, IReadOnlyList<OperatingWindow>>
        {
            [DayOfWeek.Monday] = [new(480, 1080)], [DayOfWeek.Tuesday] = [new(480, 1080)], [DayOfWeek.Wednesday] = [new(480, 1080)],
            [DayOfWeek.Thursday] = [new(480, 1080)], [DayOfWeek.Friday] = [new(480, 1080)],
        },
        [new DateOnly(2026, 1, 1)]);

    private static DateTimeOffset L(int y, int m, int d, int h) => Santiago.ToUtc(new DateTime(y, m, d, h, 0, 0));

    [Fact]
    public void Operating_time_follows_the_weekly_windows_and_closed_dates_in_local_time()
    {
        Assert.Equal(4 * 10 * 3600, Weekdays.OperatingSeconds(L(2025, 12, 29, 0), L(2026, 1, 5, 0), Santiago));
        Assert.Equal(7 * 24 * 3600, OperatingCalendar.AlwaysOpen.OperatingSeconds(L(2025, 12, 29, 0), L(2026, 1, 5, 0), Santiago));
        Assert.False(Weekdays.IsAlwaysOpen);
    }

    [Fact]
    public void Downtime_outside_operating_hours_is_not_lost_operating_time()
    {
        Assert.Equal([(new DateOnly(2025, 12, 30), 3600L), (new DateOnly(2025, 12, 31), 3600L)],
            KpiContributions.SplitByDay(L(2025, 12, 30, 17), L(2025, 12, 31, 9), Santiago, Weekdays));
    }

    [Fact]
    public void Local_days_and_months_come_from_the_tenant_time_zone_not_the_server()
    {
        var instant = new DateTimeOffset(2026, 7, 1, 2, 0, 0, TimeSpan.Zero); // 22:00 on June 30 in Santiago (UTC-4)
        Assert.Equal(new DateOnly(2026, 6, 30), Santiago.LocalDate(instant));
        Assert.Equal(new DateOnly(2026, 6, 1), Santiago.LocalMonth(instant));
        Assert.Equal(new DateTimeOffset(2026, 4, 4, 3, 0, 0, TimeSpan.Zero), Santiago.StartOfDay(new DateOnly(2026, 4, 4)));
        Assert.Equal(TimeSpan.FromHours(25), Santiago.StartOfDay(new DateOnly(2026, 4, 5)) - Santiago.StartOfDay(new DateOnly(2026, 4, 4)));
    }
}
