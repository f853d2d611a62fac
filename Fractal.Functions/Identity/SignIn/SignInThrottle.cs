using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Fractal.Functions.Hosting.Network;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.Secrets;
using Fractal.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Identity.SignIn;

/// <summary>
/// Throttles password guessing without locking accounts (so nobody can lock a user out by guessing), OWASP ASVS 2.2.1.
/// Two independent counters, each its own rule (<see cref="PerIp"/>, <see cref="PerAccount"/>):
/// <list type="bullet">
/// <item>per account and client IP: after <c>MaxFailuresPerIp</c> attempts within the window, that IP
/// waits <c>IpLockoutMinutes</c> for that account (not for a private or platform address, <see cref="SharedAddresses"/>:
/// that would lock out everyone behind it);</item>
/// <item>per account across IPs: after <c>AccountDelayAfterFailures</c> attempts every attempt must wait a
/// delay that doubles per attempt up to <c>AccountMaxDelaySeconds</c> (slows a distributed attack).</item>
/// </list>
/// An attempt is <b>reserved</b> (counted) before its password is verified, not recorded after: N parallel
/// attempts then verify at most the allowed number, however slow the hash. Reservations are serialised per
/// account within an instance, and written across instances in one ETag-conditional entity-group transaction
/// over both counters (a lost race re-reads). A successful sign-in clears both counters.
/// Rows live in <c>SignInThrottle</c>, keyed by HMACs under a service key (no e-mail, no hash of it, no IP).
/// </summary>
public sealed class SignInThrottle(TableStore tables, ServiceKeyStore keys, IOptions<SignInThrottleOptions> options, TimeProvider time)
{
    private const string KeyPurpose = "sign-in-throttle-key";
    private const int MaxConflicts = 20;

    // Striped per-account locks: bounded memory, and parallel attempts for one account queue behind each other here
    // instead of losing ETag races against each other (cross-instance races still go through the ETag).
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>Counts this attempt before its password is checked; returns how long to wait instead when throttled.</summary>
    public async Task<TimeSpan?> TryReserveAsync(string email, IPAddress ip, CancellationToken ct)
    {
        var account = await AccountKeyAsync(email, ct);
        // Each counter this attempt spends. A private or platform address is most likely a gateway's or the platform's,
        // shared by everyone behind it: a per-IP lockout there would let anyone lock an account for everyone, so only
        // the per-account delay applies (safe if Network:TrustedProxies / ClientIpHeader are wrong: docs/deployment.md).
        Counter[] counters = SharedAddresses.Contains(ip)
            ? [new PerAccount(options.Value)]
            : [new PerIp(await IpRowKeyAsync(ip, ct), options.Value), new PerAccount(options.Value)];

        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(account) % _stripes.Length)];
        await stripe.WaitAsync(ct);
        try
        {
            for (var attempt = 0; attempt < MaxConflicts; attempt++)
            {
                var rows = await Task.WhenAll(counters.Select(c => tables.FindAsync<ThrottleEntity>(TableNames.SignInThrottle, account, c.RowKey, ct)));
                var now = time.GetUtcNow();
                var wait = counters.Zip(rows, (c, row) => c.Wait(row, now)).Max();
                if (wait > TimeSpan.Zero) return wait;

                var actions = counters.Zip(rows, (c, row) => Count(c, row, account, now)).ToList();
                var written = await tables.TrySubmitAsync(TableNames.SignInThrottle, actions, ct);
                if (written.Succeeded) return null;
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25)), ct); // another instance counted first
            }
        }
        finally
        {
            stripe.Release();
        }
        // Fail closed: an attempt that could not be counted is not verified.
        return TimeSpan.FromSeconds(1);
    }

    /// <summary>After a successful sign-in: both counters start again.</summary>
    public async Task ClearAsync(string email, IPAddress ip, CancellationToken ct)
    {
        var account = await AccountKeyAsync(email, ct);
        await tables.TryDeleteAsync(TableNames.SignInThrottle, account, await IpRowKeyAsync(ip, ct), ETag.All, ct);
        await tables.TryDeleteAsync(TableNames.SignInThrottle, account, PerAccount.Row, ETag.All, ct);
    }

    private static TableTransactionAction Count(Counter counter, ThrottleEntity? row, string account, DateTimeOffset now)
    {
        if (row is null)
        {
            row = new ThrottleEntity { PartitionKey = account, RowKey = counter.RowKey, WindowStart = now };
            counter.Count(row, now);
            return new TableTransactionAction(TableTransactionActionType.Add, row);
        }
        counter.Count(row, now);
        return new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, row.ETag);
    }

    // Keys are HMACs under a service key: the rows (and the URLs of storage calls, which telemetry may export) carry
    // neither the e-mail nor a plain hash of it, which anyone could link back by hashing guessed addresses.
    private async Task<string> AccountKeyAsync(string email, CancellationToken ct) =>
        await MacAsync("account:" + EmailAddress.Normalize(email), ct);

    private async Task<string> IpRowKeyAsync(IPAddress ip, CancellationToken ct) =>
        PerIp.RowPrefix + (await MacAsync("ip:" + ip, ct))[..32];

    private async Task<string> MacAsync(string value, CancellationToken ct) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(await keys.GetOrCreateAsync(KeyPurpose, ct), Encoding.UTF8.GetBytes(value)));

    private abstract class Counter(string rowKey)
    {
        public string RowKey { get; } = rowKey;
        /// <summary>How long an attempt must still wait under this counter (zero: it may go ahead).</summary>
        public virtual TimeSpan Wait(ThrottleEntity? row, DateTimeOffset now) =>
            row?.BlockedUntil is { } until && until > now ? until - now : TimeSpan.Zero;
        /// <summary>Counts one attempt into the row.</summary>
        public abstract void Count(ThrottleEntity row, DateTimeOffset now);
    }

    /// <summary>Per account and client IP: <c>MaxFailuresPerIp</c> attempts per window, then the IP waits out the lockout.</summary>
    private sealed class PerIp(string rowKey, SignInThrottleOptions o) : Counter(rowKey)
    {
        public const string RowPrefix = "ip|";
        private readonly TimeSpan _window = TimeSpan.FromMinutes(o.IpLockoutMinutes);

        public override void Count(ThrottleEntity row, DateTimeOffset now)
        {
            if (now - row.WindowStart > _window) { row.WindowStart = now; row.Failures = 0; }
            row.Failures++;
            if (row.Failures >= o.MaxFailuresPerIp) row.BlockedUntil = now + _window;
        }
    }

    /// <summary>Per account from any IP: after <c>AccountDelayAfterFailures</c> attempts a delay doubling per attempt, capped.</summary>
    private sealed class PerAccount(SignInThrottleOptions o) : Counter(Row)
    {
        public const string Row = "account";

        public override void Count(ThrottleEntity row, DateTimeOffset now)
        {
            row.Failures++;
            var over = row.Failures - o.AccountDelayAfterFailures;
            if (over >= 0) row.BlockedUntil = now + TimeSpan.FromSeconds(Math.Min(o.AccountMaxDelaySeconds, Math.Pow(2, Math.Min(over, 30))));
        }
    }
}

public sealed class ThrottleEntity : StoredEntity
{
    /// <summary>Attempts counted (each is reserved before its password is verified; a success deletes the row).</summary>
    public int Failures { get; set; }
    public DateTimeOffset WindowStart { get; set; }
    public DateTimeOffset? BlockedUntil { get; set; }
}
