namespace Fractal.Functions.Maintenance.Domain.Tenancy;

/// <summary>A period named the way people ask ("hoy", "esta semana", "el último trimestre"), always in the plant's local calendar.</summary>
public enum LocalPeriod
{
    Today = 1,
    Yesterday,
    Tomorrow,
    ThisWeek,
    LastWeek,
    NextWeek,
    ThisMonth,
    LastMonth,
    NextMonth,
    ThisQuarter,
    LastQuarter,
    ThisYear,
    LastYear,
}

public static class LocalPeriods
{
    /// <summary>
    /// The local days of <paramref name="period"/> as seen on <paramref name="today"/>: [First, End), End the day after
    /// the last. Weeks run Monday to Sunday (ISO 8601, the week of Chile and most of the tenants' countries).
    /// </summary>
    public static (DateOnly First, DateOnly End) Days(this LocalPeriod period, DateOnly today)
    {
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var month = new DateOnly(today.Year, today.Month, 1);
        var quarter = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
        var year = new DateOnly(today.Year, 1, 1);
        return period switch
        {
            LocalPeriod.Today => (today, today.AddDays(1)),
            LocalPeriod.Yesterday => (today.AddDays(-1), today),
            LocalPeriod.Tomorrow => (today.AddDays(1), today.AddDays(2)),
            LocalPeriod.ThisWeek => (monday, monday.AddDays(7)),
            LocalPeriod.LastWeek => (monday.AddDays(-7), monday),
            LocalPeriod.NextWeek => (monday.AddDays(7), monday.AddDays(14)),
            LocalPeriod.ThisMonth => (month, month.AddMonths(1)),
            LocalPeriod.LastMonth => (month.AddMonths(-1), month),
            LocalPeriod.NextMonth => (month.AddMonths(1), month.AddMonths(2)),
            LocalPeriod.ThisQuarter => (quarter, quarter.AddMonths(3)),
            LocalPeriod.LastQuarter => (quarter.AddMonths(-3), quarter),
            LocalPeriod.ThisYear => (year, year.AddYears(1)),
            LocalPeriod.LastYear => (year.AddYears(-1), year),
            _ => throw new ArgumentOutOfRangeException(nameof(period), period, null),
        };
    }
}
