namespace Fractal.Functions.Maintenance.Domain.Tenancy;

/// <summary>A daily operating window in local minutes after midnight: [StartMinute, EndMinute), EndMinute up to 1440.</summary>
public sealed record OperatingWindow(int StartMinute, int EndMinute);

/// <summary>
/// When the plant operates, in the tenant's local time: windows per weekday and closed dates. Availability
/// and MTBF count operating time only (downtime outside it is not lost production). Durations are whole
/// seconds so every KPI built on them is exact and reproducible.
/// </summary>
public sealed record OperatingCalendar(IReadOnlyDictionary<DayOfWeek, IReadOnlyList<OperatingWindow>> Weekly, IReadOnlyList<DateOnly> ClosedDates)
{
    public static OperatingCalendar AlwaysOpen { get; } = new(
        Enum.GetValues<DayOfWeek>().ToDictionary(d => d, IReadOnlyList<OperatingWindow> (_) => [new OperatingWindow(0, 1440)]),
        []);

    public bool IsAlwaysOpen => ClosedDates.Count == 0 && Enum.GetValues<DayOfWeek>().All(d =>
        Weekly.TryGetValue(d, out var w) && w.Count == 1 && w[0] is { StartMinute: 0, EndMinute: 1440 });

    /// <summary>Operating seconds inside [from, to).</summary>
    public long OperatingSeconds(DateTimeOffset from, DateTimeOffset to, TenantClock clock)
    {
        if (to <= from) return 0;
        if (IsAlwaysOpen) return (long)(to - from).TotalSeconds;
        long total = 0;
        foreach (var (start, end) in Windows(from, to, clock))
        {
            var a = start > from ? start : from;
            var b = end < to ? end : to;
            if (b > a) total += (long)(b - a).TotalSeconds;
        }
        return total;
    }

    /// <summary>The operating windows (UTC) of every local day that touches [from, to).</summary>
    public IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Windows(DateTimeOffset from, DateTimeOffset to, TenantClock clock)
    {
        var closed = ClosedDates.ToHashSet();
        for (var day = clock.LocalDate(from).AddDays(-1); day <= clock.LocalDate(to); day = day.AddDays(1))
        {
            if (closed.Contains(day) || !Weekly.TryGetValue(day.DayOfWeek, out var windows)) continue;
            var midnight = day.ToDateTime(TimeOnly.MinValue);
            foreach (var w in windows)
                yield return (clock.ToUtc(midnight.AddMinutes(w.StartMinute)), clock.ToUtc(midnight.AddMinutes(w.EndMinute)));
        }
    }
}
