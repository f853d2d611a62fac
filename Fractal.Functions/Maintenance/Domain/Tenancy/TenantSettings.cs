namespace Fractal.Functions.Maintenance.Domain.Tenancy;

/// <summary>
/// Per-tenant maintenance settings. Dates are stored in UTC and grouped by <see cref="TimeZoneId"/>'s local
/// day and month. Changing the time zone or calendar later requires rebuilding the KPI rollups (they are
/// keyed by local day).
/// </summary>
public sealed record TenantSettings(
    string PlantName,
    string TimeZoneId,
    OperatingCalendar Calendar,
    double CrewCapacityHoursPerWeek)
{
    public static TenantSettings Default { get; } = new("Planta", "UTC", OperatingCalendar.AlwaysOpen, 320);

    public TenantClock Clock() => TenantClock.For(TimeZoneId);
}
