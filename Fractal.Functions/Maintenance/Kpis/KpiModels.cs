namespace Fractal.Functions.Maintenance.Kpis;

public enum KpiKind
{
    Failures = 1,
    DowntimeHours,
    Availability,
    /// <summary>MTBF, fleet view: asset-hours ÷ failures (each machine's own time between failures).</summary>
    Mtbf,
    /// <summary>MTBF, line view: the location's hours ÷ failures that stopped one of its machines (how often the line stopped).</summary>
    MtbfLine,
    Mttr,
    InherentAvailability,
    PmCompliance,
    PlannedMaintenancePercent,
    BacklogWeeks,
    OverdueWorkOrders,
    CompletionRate,
    MaintenanceCost,
    FirstTimeFixRate,
}

public enum KpiGrouping
{
    None = 0,
    /// <summary>By local month of the tenant's time zone.</summary>
    Month,
    /// <summary>By asset (each equipment-level asset of the scope).</summary>
    Asset,
}

/// <summary>PM compliance grace: none, one day, or 20% of the plan interval capped at 28 days.</summary>
public enum GraceRule
{
    None = 0,
    OneDay,
    Percent20,
}

/// <summary>
/// What <c>get_kpis</c> asks: KPIs over the local dates [<see cref="From"/>, <see cref="To"/>) of the tenant's
/// time zone, for the plant (no scope), a location subtree or one asset, optionally grouped. Everything is
/// computed from the whole period (never a sample), as of <see cref="AsOf"/> (default now): open downtime runs
/// up to it, and an open preventive order counts as missed once its grace has passed by then.
/// </summary>
public sealed record KpiRequest(
    IReadOnlyList<KpiKind> Kpis,
    DateOnly From,
    DateOnly To,
    string? ScopeAssetId = null,
    KpiGrouping GroupBy = KpiGrouping.None,
    GraceRule Grace = GraceRule.None,
    int FirstTimeFixWindowDays = 30,
    DateTimeOffset? AsOf = null);

/// <summary>How much data a value stands on: records used and records that lacked a field the formula needs.</summary>
public sealed record KpiCoverage(long RecordsUsed, long RecordsMissingField, string? Note = null);

/// <summary>One KPI value with everything needed to explain it.</summary>
public sealed record KpiResult(
    KpiKind Kpi,
    string? Group,
    double? Value,
    string Unit,
    string Formula,
    double Numerator,
    double Denominator,
    KpiCoverage Coverage,
    IReadOnlyDictionary<string, double>? Breakdown = null);

public sealed record KpiReport(DateOnly From, DateOnly To, string? ScopeAssetId, DateTimeOffset AsOf, string TimeZone, IReadOnlyList<KpiResult> Results);

public enum BadActorMeasure
{
    Failures = 1,
    DowntimeHours,
    Cost,
}

public sealed record BadActorRequest(DateOnly From, DateOnly To, BadActorMeasure By, int Top = 5, string? ScopeAssetId = null, DateTimeOffset? AsOf = null);

/// <summary>An asset of the <c>rank_bad_actors</c> ranking, with all three measures.</summary>
public sealed record BadActor(string AssetId, string AssetName, double Value, long Failures, double DowntimeHours, decimal Cost);
