using System.Threading.RateLimiting;
using Fractal.Functions.Hosting.Options;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Hosting.RateLimiting;

/// <summary>What a limit counts.</summary>
public enum RateLimited
{
    SignInPerIp,
    AuthorizePerIp,
    TokenPerIp,
    TokenPerConsumer,
    ToolCallsPerGrant,
}

/// <summary>
/// The request rate limits (System.Threading.RateLimiting): one partitioned fixed-window limiter per kind, partitioned
/// by the key the kind counts (client IP, client_id, grant). In memory, so each instance counts alone: with N
/// instances a client can reach up to N times a limit (README, "Rate limits"). Idle partitions are dropped by the
/// limiter itself, so memory follows the number of active keys, not of all keys ever seen.
/// </summary>
public sealed class RequestRateLimits : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<RateLimited, PartitionedRateLimiter<string>> _limiters;

    public RequestRateLimits(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        _limiters = new()
        {
            [RateLimited.SignInPerIp] = Create(o.SignInPerIpPerMinute),
            [RateLimited.AuthorizePerIp] = Create(o.AuthorizePerIpPerMinute),
            [RateLimited.TokenPerIp] = Create(o.TokenPerIpPerMinute),
            [RateLimited.TokenPerConsumer] = Create(o.TokenPerConsumerPerMinute),
            [RateLimited.ToolCallsPerGrant] = Create(o.ToolCallsPerGrantPerMinute),
        };
    }

    /// <summary>Counts one request against <paramref name="key"/>; null when allowed, else how long to wait.</summary>
    public TimeSpan? TryAcquire(RateLimited kind, string key)
    {
        using var lease = _limiters[kind].AttemptAcquire(key);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
    }

    /// <summary>Counts one request; null when allowed, else the 429 with Retry-After in the endpoint's own format.</summary>
    public Microsoft.AspNetCore.Http.IResult? Refuse(Microsoft.AspNetCore.Http.HttpRequest request, RateLimited kind, string key) =>
        TryAcquire(kind, key) is { } wait ? Faults.ProtocolErrors.RateLimited(request, wait) : null;

    private static PartitionedRateLimiter<string> Create(int permitsPerMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permitsPerMinute,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values) limiter.Dispose();
    }
}
