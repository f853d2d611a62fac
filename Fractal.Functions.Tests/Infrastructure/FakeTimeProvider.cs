namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>A clock that stands still until told to move, for tests that run "as of" a date.</summary>
public sealed class FakeTimeProvider(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset now) => _now = now;
}
