namespace Fractal.Functions.Maintenance.Domain.Meters;

public enum MeterKind
{
    /// <summary>Accumulates (hours run, cycles): readings never go down.</summary>
    Counter = 1,
    /// <summary>A level or measurement (temperature, pressure, vibration).</summary>
    Gauge = 2,
}

/// <summary>
/// A meter on an asset with running statistics kept on every reading, so <c>list_meters</c> needs no reading
/// scan: the monthly average is the counter's increase per 30.4375 days between first and last reading, or a
/// gauge's mean value.
/// </summary>
public sealed record Meter(
    string Id,
    string AssetId,
    string Name,
    string Unit,
    MeterKind Kind,
    string? Serial = null,
    double? LastValue = null,
    DateTimeOffset? LastReadingAt = null,
    double? FirstValue = null,
    DateTimeOffset? FirstReadingAt = null,
    double Sum = 0,
    long Count = 0)
{
    /// <summary>
    /// Readings keep this many decimals, in storage and in every answer. Values are binary doubles (Table storage has no
    /// decimal type): without rounding, sums and differences pick up noise (16977.3 comes out as 16977.299999999996).
    /// </summary>
    public const int Decimals = 4;

    /// <summary>A reading at the meter's precision.</summary>
    public static double Round(double value) => Math.Round(value, Decimals, MidpointRounding.AwayFromZero);

    /// <summary>This meter with its stored figures at the meter's precision (rows written before the rounding may carry noise).</summary>
    public Meter Rounded() => this with
    {
        LastValue = LastValue is { } last ? Round(last) : null, FirstValue = FirstValue is { } first ? Round(first) : null, Sum = Round(Sum),
    };

    public double? MonthlyAverage => Kind switch
    {
        MeterKind.Gauge when Count > 0 => Round(Sum / Count),
        MeterKind.Counter when LastReadingAt is { } last && FirstReadingAt is { } first && last - first >= TimeSpan.FromDays(1) =>
            Round((LastValue!.Value - FirstValue!.Value) / ((last - first).TotalDays / 30.4375)),
        _ => null,
    };

    /// <summary>The meter after a reading; refuses a counter going backwards or a reading older than the last.</summary>
    public DomainResult<Meter> Apply(double value, DateTimeOffset at)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) return MaintenanceErrors.Invalid("value", "must be a number.");
        value = Round(value);
        if (LastReadingAt is { } lastAt && at <= lastAt)
            return MaintenanceErrors.Invalid("at", $"meter {Id} already has a reading at {lastAt:u}; readings are appended in time order.");
        if (Kind == MeterKind.Counter && LastValue is { } lastValue && value < lastValue)
            return MaintenanceErrors.Invalid("value", $"counter {Id} cannot go down (last reading {lastValue}).");
        return this with
        {
            LastValue = value, LastReadingAt = at,
            FirstValue = FirstValue ?? value, FirstReadingAt = FirstReadingAt ?? at,
            Sum = Round(Sum + value), Count = Count + 1,
        };
    }
}

public sealed record MeterReading(string MeterId, DateTimeOffset At, double Value, string UserId);

/// <summary>The outcome of <c>record_meter_reading</c>: the meter, and the pending PM tasks the reading made due.</summary>
public sealed record ReadingRecorded(Meter Meter, IReadOnlyList<string> TriggeredPendingTaskIds);
