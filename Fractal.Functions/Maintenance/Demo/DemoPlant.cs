using Fractal.Functions.Maintenance.Domain.Tenancy;

namespace Fractal.Functions.Maintenance.Demo;

/// <summary>
/// The fixed facts of the demo plant "Planta Embotelladora Andes": the seed, the tenant settings, and the anchor
/// its year of data ends at. The plant is generated relative to an anchor day (its "today": the data covers the
/// 365 local days before it, so its last day is the day before): the loader anchors it on the day it is seeded,
/// tests pin <see cref="ReferenceDay"/>. For a given anchor the data and the ground truth are always the same.
/// Change <see cref="Version"/> whenever the generated data changes, so the loader replaces an older demo load.
/// </summary>
public static class DemoPlant
{
    public const string Name = "Planta Embotelladora Andes";
    public const string TimeZoneId = "America/Santiago";
    public const int Seed = 20260701;
    public const int Version = 5;
    public const double CrewHoursPerWeek = 8 * 40;

    /// <summary>The anchor tests pin (and the plant's own calendar: its planted dates are written for it).</summary>
    public static readonly DateOnly ReferenceDay = new(2026, 7, 1);

    /// <summary>2026-07-01 00:00 in Santiago (UTC-4 in July): the pinned demo's "now" and the end of its period.</summary>
    public static readonly DateTimeOffset ReferenceDate = new(2026, 7, 1, 4, 0, 0, TimeSpan.Zero);

    public static TenantClock Clock { get; } = TenantClock.For(TimeZoneId);

    /// <summary>The anchor of a plant seeded at <paramref name="now"/>: the plant's local today (so its last day is yesterday).</summary>
    public static DateOnly AnchorFor(DateTimeOffset now) => Clock.LocalDate(now);

    /// <summary>The 365 local days before <paramref name="anchor"/>: [anchor − 365 days, anchor) local.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) PeriodFor(DateOnly anchor) =>
        Clock.Days(anchor.AddDays(-DemoGenerator.SimulatedDays), anchor.AddDays(-1));

    /// <summary>The pinned period: [2025-07-01, 2026-07-01) local.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Period => PeriodFor(ReferenceDay);

    /// <summary>The plant runs around the clock (three shifts), so every hour is operating time.</summary>
    public static TenantSettings Settings { get; } = new(Name, TimeZoneId, OperatingCalendar.AlwaysOpen, CrewHoursPerWeek);
}
