using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Hosting.Network;

/// <summary>
/// Warns, once per address and window, when many different people sign in from one resolved client address: the sign
/// that the app sits behind a gateway or the platform's front end and sees its address instead of the people's
/// (docs/deployment.md, "Client IP behind a gateway"). Per instance and in memory: a warning, not a control.
/// </summary>
public sealed class SharedAddressMonitor(TimeProvider time, ILogger<SharedAddressMonitor> logger)
{
    /// <summary>Distinct people from one address within <see cref="Window"/> that make it look shared.</summary>
    public const int DistinctPeople = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    // Bounds memory whatever the traffic: past this many addresses in a window, new ones are not tracked.
    private const int MaxTrackedAddresses = 10_000;

    private readonly ConcurrentDictionary<IPAddress, ConcurrentDictionary<string, byte>> _people = new();
    private readonly ConcurrentDictionary<IPAddress, byte> _warned = new();
    // UTC ticks, read without the lock: a long is read whole (a DateTimeOffset could be torn mid-write).
    private long _windowStartTicks = time.GetUtcNow().UtcTicks;
    private readonly Lock _rollover = new();

    public void SignedIn(IPAddress address, string userId)
    {
        Roll();
        if (_people.Count >= MaxTrackedAddresses && !_people.ContainsKey(address)) return;
        var people = _people.GetOrAdd(address, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
        people.TryAdd(userId, 0);
        if (people.Count >= DistinctPeople && _warned.TryAdd(address, 0))
        {
            logger.LogWarning(
                "{Count} different people signed in from one client address ({Address}, {Kind}) within {Minutes} minutes: it is probably a gateway's " +
                "or the platform's address. Set Network__TrustedProxies and Network__ClientIpHeader (docs/deployment.md, Client IP behind a gateway).",
                people.Count, address, SharedAddresses.Contains(address) ? "private" : "public", (int)Window.TotalMinutes);
        }
    }

    private void Roll()
    {
        if (!WindowEnded(time.GetUtcNow())) return;
        lock (_rollover)
        {
            var now = time.GetUtcNow();
            if (!WindowEnded(now)) return;
            _people.Clear();
            _warned.Clear();
            Volatile.Write(ref _windowStartTicks, now.UtcTicks);
        }
    }

    private bool WindowEnded(DateTimeOffset now) => now.UtcTicks - Volatile.Read(ref _windowStartTicks) >= Window.Ticks;
}
