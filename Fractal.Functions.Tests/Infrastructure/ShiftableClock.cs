namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// The real clock plus an offset a test can move forward: time keeps flowing (caches expire, browsers wait as
/// usual), and "an hour later" is one call instead of an hour. End-to-end scripts ask for it over stdio.
/// </summary>
public sealed class ShiftableClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "The clock only moves forward.");
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
