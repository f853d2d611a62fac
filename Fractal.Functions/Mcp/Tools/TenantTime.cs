using System.Globalization;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.Tenancy;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>
/// The caller's plant calendar for one tool call: dates in arguments are read in the tenant's time zone (a
/// <c>yyyy-mm-dd</c> is that local day, a date-time without an offset is local wall time), and period words
/// ("today", "this_week") are local days counted from the local today. <see cref="LocalOffsets"/> does the
/// other direction (answers carry the local offset).
/// </summary>
public sealed class TenantTime(TenantClock clock, DateTimeOffset now)
{
    /// <summary>The other tools' <c>period</c> point to <c>list_work_orders</c>': the words are listed once (tools/list size).</summary>
    public const string PeriodSeeList = "Period word, as in list_work_orders";
    public const string PeriodHelp = "Instead of from/to (plant time): today, yesterday, tomorrow, or this_/last_/next_ + week or month, this_/last_ + quarter or year";

    public TenantClock Clock { get; } = clock;

    public DateTimeOffset Now { get; } = now;

    public DateOnly Today => Clock.LocalDate(Now);

    /// <summary>The caller's tenant time (its settings are cached per process, so this is rarely a storage read).</summary>
    public static async Task<TenantTime> ForAsync(ITenantSettingsService settings, TimeProvider time, TenantId tenant, CancellationToken ct) =>
        new((await settings.GetAsync(tenant, ct)).Clock(), time.GetUtcNow());

    /// <summary>An instant argument: a date is the start of that local day; a date-time keeps its offset, or is local without one.</summary>
    public DateTimeOffset? Instant(string? value, string name)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return Clock.StartOfDay(day);
        // RoundtripKind tells whether the text named an offset (Utc or Local) or not (Unspecified: plant wall time).
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            || !DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var wall))
            throw ToolArguments.Invalid($"{name} must be a date (yyyy-mm-dd, a day in plant time) or an ISO 8601 date-time, e.g. 2026-03-01 or 2026-03-01T14:30.");
        return wall.Kind == DateTimeKind.Unspecified ? Clock.ToUtc(wall) : parsed;
    }

    /// <summary>A due date: a bare date is due by the end of that local day (overdue from the next one); a date-time as <see cref="Instant"/>.</summary>
    public DateTimeOffset? Due(string? value, string name) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? Clock.StartOfDay(day.AddDays(1)).AddSeconds(-1)
            : Instant(value, name);

    /// <summary>A day argument (<c>yyyy-mm-dd</c>, a local date).</summary>
    public static DateOnly Day(string? value, string name) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw ToolArguments.Invalid($"{name} must be a date, yyyy-mm-dd.");

    /// <summary>The local days [First, End) of a <c>period</c> argument, or null when absent (an unknown word lists the allowed ones).</summary>
    public (DateOnly First, DateOnly End)? PeriodDays(string? period) =>
        ToolArguments.Enum<LocalPeriod>(period, "period") is { } p ? p.Days(Today) : null;

    /// <summary>
    /// An instant range from <c>from</c>/<c>to</c> or from a <c>period</c> (not both): the period's local days as UTC
    /// instants, [start of the first day, start of the day after the last).
    /// </summary>
    public (DateTimeOffset? From, DateTimeOffset? To) Range(string? from, string? to, string? period, string fromName = "from", string toName = "to")
    {
        if (PeriodDays(period) is not { } days) return (Instant(from, fromName), Instant(to, toName));
        if (!string.IsNullOrEmpty(from) || !string.IsNullOrEmpty(to)) throw ToolArguments.Invalid($"Give {fromName}/{toName} or period, not both.");
        return (Clock.StartOfDay(days.First), Clock.StartOfDay(days.End));
    }

    /// <summary>A local day as answers write it.</summary>
    public string DayOf(DateTimeOffset instant) => Clock.LocalDate(instant).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
