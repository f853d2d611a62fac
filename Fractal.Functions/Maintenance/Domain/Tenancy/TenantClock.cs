namespace Fractal.Functions.Maintenance.Domain.Tenancy;

/// <summary>
/// Converts between stored UTC instants and the tenant's local calendar (days and months are always the
/// tenant's, never the server's). Local times that do not exist (a spring-forward gap) move forward to the
/// first valid instant; ambiguous ones (a fall-back repeat) take the earlier instant.
/// </summary>
public sealed class TenantClock(TimeZoneInfo zone)
{
    public TimeZoneInfo Zone { get; } = zone;

    public static TenantClock For(string timeZoneId) => new(TimeZoneInfo.FindSystemTimeZoneById(timeZoneId));

    public DateTime ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).DateTime;

    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant));

    /// <summary>The first day of the local month holding <paramref name="instant"/>.</summary>
    public DateOnly LocalMonth(DateTimeOffset instant)
    {
        var d = LocalDate(instant);
        return new DateOnly(d.Year, d.Month, 1);
    }

    /// <summary>The UTC instant of a local wall-clock time.</summary>
    public DateTimeOffset ToUtc(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (Zone.IsInvalidTime(local))
        {
            // In a gap: read the wall time with the offset in force before the jump, which lands on the
            // first valid instant after it (00:00 that never happened becomes 01:00).
            offset = Zone.GetUtcOffset(local.AddHours(-6));
        }
        else if (Zone.IsAmbiguousTime(local))
        {
            offset = Zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = Zone.GetUtcOffset(local);
        }
        return new DateTimeOffset(local - offset, TimeSpan.Zero);
    }

    /// <summary>The first instant of a local day (which may be 23 or 25 hours long).</summary>
    public DateTimeOffset StartOfDay(DateOnly day) => ToUtc(day.ToDateTime(TimeOnly.MinValue));

    /// <summary>[start of <paramref name="first"/>, start of the day after <paramref name="last"/>) in UTC.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Days(DateOnly first, DateOnly last) =>
        (StartOfDay(first), StartOfDay(last.AddDays(1)));
}
