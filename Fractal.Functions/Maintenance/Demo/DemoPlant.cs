using Fractal.Functions.Maintenance.Domain.Tenancy;

namespace Fractal.Functions.Maintenance.Demo;

/// <summary>
/// The fixed facts of the demo plant "Planta Embotelladora Andes": the seed, the reference date the data
/// ends at (everything happens in the 12 months before it), the tenant settings. Change <see cref="Version"/>
/// whenever the generated data changes, so the loader replaces an older demo load.
/// </summary>
public static class DemoPlant
{
    public const string Name = "Planta Embotelladora Andes";
    public const string TimeZoneId = "America/Santiago";
    public const int Seed = 20260701;
    public const int Version = 5;
    public const double CrewHoursPerWeek = 8 * 40;

    /// <summary>2026-07-01 00:00 in Santiago (UTC-4 in July): the demo's "now" and the end of its 12-month period.</summary>
    public static readonly DateTimeOffset ReferenceDate = new(2026, 7, 1, 4, 0, 0, TimeSpan.Zero);

    public static TenantClock Clock { get; } = TenantClock.For(TimeZoneId);

    /// <summary>The 12 local months before the reference date: [2025-07-01, 2026-07-01) local.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Period => (Clock.StartOfDay(new DateOnly(2025, 7, 1)), ReferenceDate);

    /// <summary>The plant runs around the clock (three shifts), so every hour is operating time.</summary>
    public static TenantSettings Settings { get; } = new(Name, TimeZoneId, OperatingCalendar.AlwaysOpen, CrewHoursPerWeek);
}
