using System.Collections.Concurrent;

namespace Fractal.Functions.Maintenance.Stores;

/// <summary>
/// This process's short-lived copies of stored data, one per key (a tenant's assets, a tenant's term index of one
/// table), each kept for <c>cacheFor</c> so a warm instance answers without a storage round trip. Whether a copy is
/// sound is a property of the data, not of this class: only insert-only data is copied (see
/// <see cref="Assets.AssetCatalogue"/> and <see cref="Search.TermIndexCopies"/>, which say what a copy can miss).
/// <list type="bullet">
/// <item>A null value is a copy too: "too large to copy", remembered for the same time so callers go to storage
/// without asking again on every request.</item>
/// <item><see cref="Invalidate"/> (this instance wrote) bumps a generation: a read that began before the write does
/// not keep what it read, which may predate the write.</item>
/// <item>Bounded: the copies together hold at most <c>maxTotalSize</c> (as <c>sizeOf</c> counts); expired copies go
/// first, then the oldest.</item>
/// </list>
/// </summary>
internal sealed class ProcessCopies<T>(TimeProvider time, TimeSpan cacheFor, int maxTotalSize, Func<T, int> sizeOf) where T : class
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly object _trimLock = new();
    private long _generation;

    private sealed record Entry(T? Value, DateTimeOffset Until);

    /// <summary>The copy while fresh, else <see cref="ReadAsync"/>.</summary>
    public async Task<T?> GetAsync(string key, Func<CancellationToken, Task<T?>> read, CancellationToken ct, Func<T, T>? keepAs = null)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Until > time.GetUtcNow()) return entry.Value;
        return await ReadAsync(key, read, ct, keepAs).ConfigureAwait(false);
    }

    /// <summary>Reads now and keeps the result (as <paramref name="keepAs"/> makes it) unless this instance wrote meanwhile.</summary>
    public async Task<T?> ReadAsync(string key, Func<CancellationToken, Task<T?>> read, CancellationToken ct, Func<T, T>? keepAs = null)
    {
        var generation = Interlocked.Read(ref _generation);
        var value = await read(ct).ConfigureAwait(false);
        if (Interlocked.Read(ref _generation) == generation)
        {
            _entries[key] = new Entry(value is null || keepAs is null ? value : keepAs(value), time.GetUtcNow() + cacheFor);
            Trim();
        }
        return value;
    }

    /// <summary>Drops the copy under <paramref name="key"/>: this instance wrote what it holds (or found it incomplete).</summary>
    public void Invalidate(string key)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(key, out _);
    }

    private void Trim()
    {
        lock (_trimLock)
        {
            var now = time.GetUtcNow();
            var total = 0;
            foreach (var (key, entry) in _entries)
            {
                if (entry.Until <= now) _entries.TryRemove(key, out _);
                else total += entry.Value is null ? 0 : sizeOf(entry.Value);
            }
            foreach (var (key, entry) in _entries.OrderBy(e => e.Value.Until))
            {
                if (total <= maxTotalSize) break;
                if (_entries.TryRemove(key, out _)) total -= entry.Value is null ? 0 : sizeOf(entry.Value);
            }
        }
    }
}
