using System.Net;
using System.Threading.RateLimiting;
using Fractal.Functions.Hosting.Options;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.OAuth.Registration;

/// <summary>
/// At most Registration:RegistrationsPerIpPerHour registrations per client IP per hour (a fixed window per
/// IP, kept in this instance's memory). Claude registers on every new connection, so the limit is generous
/// for a person and tight for a script filling the table. Per instance: a scaled-out app multiplies it,
/// which bounds abuse well enough for a table whose rows expire after 30 days unused.
/// </summary>
public sealed class RegistrationRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter;

    public RegistrationRateLimiter(IOptions<RegistrationOptions> options)
    {
        var permits = options.Value.RegistrationsPerIpPerHour;
        _limiter = PartitionedRateLimiter.Create<IPAddress, string>(ip => RateLimitPartition.GetFixedWindowLimiter(ip.ToString(), _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromHours(1), QueueLimit = 0, AutoReplenishment = true }));
    }

    /// <summary>Takes one permit for the IP; when none is left, how long until the window ends.</summary>
    public (bool Acquired, TimeSpan RetryAfter) TryAcquire(IPAddress ip)
    {
        using var lease = _limiter.AttemptAcquire(ip);
        if (lease.IsAcquired) return (true, TimeSpan.Zero);
        return (false, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromHours(1));
    }

    public void Dispose() => _limiter.Dispose();
}
