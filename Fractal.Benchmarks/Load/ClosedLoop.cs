using System.Diagnostics;

namespace Fractal.Benchmarks.Load;

/// <summary>
/// A small async client: a fixed number of workers, each sending its next request when the previous one
/// answered (optionally paced to a total rate). Latencies are kept per request for percentiles.
/// </summary>
public static class ClosedLoop
{
    public sealed record Sample(double AtSeconds, double LatencyMs, bool Ok);

    public static async Task<List<Sample>> RunAsync(int workers, TimeSpan duration, Func<int, Task<bool>> send, double? totalRate = null, int? maxRequests = null)
    {
        var samples = new List<Sample>[workers];
        var clock = Stopwatch.StartNew();
        var issued = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            var mine = samples[w] = new List<Sample>();
            var interval = totalRate is { } rate ? TimeSpan.FromSeconds(workers / rate) : TimeSpan.Zero;
            var next = clock.Elapsed + TimeSpan.FromTicks(interval.Ticks * w / workers); // spread the workers' phases
            while (clock.Elapsed < duration)
            {
                if (maxRequests is { } max && Interlocked.Increment(ref issued) > max) break;
                if (interval > TimeSpan.Zero)
                {
                    var wait = next - clock.Elapsed;
                    if (wait > TimeSpan.Zero) await Task.Delay(wait);
                    next += interval;
                }
                var start = clock.Elapsed;
                bool ok;
                try
                {
                    ok = await send(w);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
                {
                    ok = false;
                }
                mine.Add(new Sample(start.TotalSeconds, (clock.Elapsed - start).TotalMilliseconds, ok));
            }
        }));
        return samples.SelectMany(s => s).OrderBy(s => s.AtSeconds).ToList();
    }

    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
    }
}
