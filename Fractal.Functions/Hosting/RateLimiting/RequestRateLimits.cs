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
    /// <summary>/oauth/revoke per client IP: a counter of its own, the size of <see cref="TokenPerIp"/>.</summary>
    RevokePerIp,
    TokenPerConsumer,
    ToolCallsPerGrant,
    /// <summary>RFC 7591 registrations per client IP, per hour (Registration:RegistrationsPerIpPerHour).</summary>
    RegistrationPerIp,
}

/// <summary>
/// The request rate limits (System.Threading.RateLimiting): one partitioned fixed-window limiter per kind, partitioned
/// by the key the kind counts (client IP, client_id, grant). In memory, so each instance counts alone: with N
/// instances a client can reach up to N times a limit (README, "Rate limits"). Idle partitions are dropped by the
/// limiter itself, so memory follows the number of active keys, not of all keys ever seen.
/// </summary>
public sealed class RequestRateLimits : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly Dictionary<RateLimited, (PartitionedRateLimiter<string> Limiter, TimeSpan Window)> _limiters;

    public RequestRateLimits(IOptions<RateLimitOptions> options, IOptions<RegistrationOptions> registration)
    {
        var o = options.Value;
        _limiters = new()
        {
            [RateLimited.SignInPerIp] = Create(o.SignInPerIpPerMinute, Minute),
            [RateLimited.AuthorizePerIp] = Create(o.AuthorizePerIpPerMinute, Minute),
            [RateLimited.TokenPerIp] = Create(o.TokenPerIpPerMinute, Minute),
            [RateLimited.RevokePerIp] = Create(o.TokenPerIpPerMinute, Minute),
            [RateLimited.TokenPerConsumer] = Create(o.TokenPerConsumerPerMinute, Minute),
            [RateLimited.ToolCallsPerGrant] = Create(o.ToolCallsPerGrantPerMinute, Minute),
            // Claude registers on every new connection: generous for a person, tight for a script filling the
            // GlobalClients table (whose rows expire after 30 days unused anyway).
            [RateLimited.RegistrationPerIp] = Create(registration.Value.RegistrationsPerIpPerHour, TimeSpan.FromHours(1)),
        };
    }

    /// <summary>Counts one request against <paramref name="key"/>; null when allowed, else how long to wait.</summary>
    public TimeSpan? TryAcquire(RateLimited kind, string key)
    {
        var (limiter, window) = _limiters[kind];
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : window;
    }

    /// <summary>Counts one request; null when allowed, else the 429 with Retry-After in the endpoint's own format.</summary>
    public Microsoft.AspNetCore.Http.IResult? Refuse(Microsoft.AspNetCore.Http.HttpRequest request, RateLimited kind, string key) =>
        TryAcquire(kind, key) is { } wait ? Faults.ProtocolErrors.RateLimited(request, wait) : null;

    private static (PartitionedRateLimiter<string>, TimeSpan) Create(int permits, TimeSpan window) =>
        (PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal), window);

    public void Dispose()
    {
        foreach (var (limiter, _) in _limiters.Values) limiter.Dispose();
    }
}
