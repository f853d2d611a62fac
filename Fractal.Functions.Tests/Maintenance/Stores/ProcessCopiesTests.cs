using Fractal.Functions.Maintenance.Stores;
using Microsoft.Extensions.Time.Testing;

namespace Fractal.Functions.Tests.Maintenance.Stores;

/// <summary>The per-process copies behind the asset catalogue and the search term copies (<see cref="ProcessCopies{T}"/>).</summary>
public sealed class ProcessCopiesTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 10, 15, 0, 0, TimeSpan.Zero));
    private int _reads;

    private Func<CancellationToken, Task<string[]?>> Reader(params string[] value) => _ => { _reads++; return Task.FromResult<string[]?>(value); };

    [Fact]
    public async Task A_copy_is_served_until_it_expires_and_then_read_again()
    {
        var copies = new ProcessCopies<string[]>(_clock, TimeSpan.FromMinutes(1), 100, v => v.Length);
        await copies.GetAsync("t1", Reader("a"), CancellationToken.None);
        Assert.Equal(["a"], (await copies.GetAsync("t1", Reader("b"), CancellationToken.None))!);
        Assert.Equal(1, _reads);

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["b"], (await copies.GetAsync("t1", Reader("b"), CancellationToken.None))!);
        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task A_read_that_began_before_this_instance_wrote_is_answered_but_not_kept()
    {
        var copies = new ProcessCopies<string[]>(_clock, TimeSpan.FromMinutes(1), 100, v => v.Length);
        var started = new TaskCompletionSource<string[]?>();
        var slowRead = copies.GetAsync("t1", _ => started.Task, CancellationToken.None);
        copies.Invalidate("t1"); // the write lands while the read is in flight
        started.SetResult(["before the write"]);
        Assert.Equal(["before the write"], (await slowRead)!);

        Assert.Equal(["after"], (await copies.GetAsync("t1", Reader("after"), CancellationToken.None))!);
        Assert.Equal(1, _reads);
    }

    [Fact]
    public async Task Copies_beyond_the_total_bound_drop_the_oldest_first_and_a_too_large_marker_costs_nothing()
    {
        var copies = new ProcessCopies<string[]>(_clock, TimeSpan.FromMinutes(1), 4, v => v.Length);
        await copies.GetAsync("old", Reader("a", "b"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await copies.GetAsync("none", _ => Task.FromResult<string[]?>(null), CancellationToken.None);
        await copies.GetAsync("new", Reader("c", "d", "e"), CancellationToken.None);
        _reads = 0;

        Assert.Equal(["c", "d", "e"], (await copies.GetAsync("new", Reader("x"), CancellationToken.None))!);
        Assert.Null(await copies.GetAsync("none", Reader("x"), CancellationToken.None)); // remembered as too large
        Assert.Equal(0, _reads);
        Assert.Equal(["x"], (await copies.GetAsync("old", Reader("x"), CancellationToken.None))!); // dropped: 2 + 3 > 4
        Assert.Equal(1, _reads);
    }
}
