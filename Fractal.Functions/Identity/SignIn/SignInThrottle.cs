using System.Net;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Identity.SignIn;

/// <summary>
/// Throttles password guessing without locking accounts (so nobody can lock a user out by guessing):
/// <list type="bullet">
/// <item>per account and client IP: after <c>MaxFailuresPerIp</c> failures within the window, that IP
/// waits <c>IpLockoutMinutes</c> for that account;</item>
/// <item>per account across IPs: after <c>AccountDelayAfterFailures</c> failures every attempt must wait a
/// delay that doubles per failure up to <c>AccountMaxDelaySeconds</c> (slows a distributed attack).</item>
/// </list>
/// Rows live in <c>SignInThrottle</c>, PartitionKey = email index key, RowKeys "account" and "ip|&lt;address&gt;".
/// </summary>
public sealed class SignInThrottle(TableStore tables, IOptions<SignInThrottleOptions> options, TimeProvider time)
{
    private const string AccountRow = "account";

    public async Task<TimeSpan?> RetryAfterAsync(string email, IPAddress ip, CancellationToken ct)
    {
        var key = EmailAddress.IndexKey(email);
        var ipRow = tables.FindAsync<ThrottleEntity>(TableNames.SignInThrottle, key, IpRow(ip), ct);
        var accountRow = tables.FindAsync<ThrottleEntity>(TableNames.SignInThrottle, key, AccountRow, ct);
        var now = time.GetUtcNow();
        var waits = new[] { (await ipRow)?.BlockedUntil, (await accountRow)?.BlockedUntil }
            .Where(until => until > now).Select(until => until!.Value - now).ToList();
        return waits.Count == 0 ? null : waits.Max();
    }

    public async Task RecordFailureAsync(string email, IPAddress ip, CancellationToken ct)
    {
        var o = options.Value;
        var key = EmailAddress.IndexKey(email);
        var window = TimeSpan.FromMinutes(o.IpLockoutMinutes);
        await UpdateAsync(key, IpRow(ip), (row, now) =>
        {
            if (now - row.WindowStart > window) { row.WindowStart = now; row.Failures = 0; }
            row.Failures++;
            if (row.Failures >= o.MaxFailuresPerIp) row.BlockedUntil = now + window;
        }, ct);
        await UpdateAsync(key, AccountRow, (row, now) =>
        {
            row.Failures++;
            var over = row.Failures - o.AccountDelayAfterFailures;
            if (over >= 0)
                row.BlockedUntil = now + TimeSpan.FromSeconds(Math.Min(o.AccountMaxDelaySeconds, Math.Pow(2, Math.Min(over, 30))));
        }, ct);
    }

    public async Task RecordSuccessAsync(string email, IPAddress ip, CancellationToken ct)
    {
        var key = EmailAddress.IndexKey(email);
        await tables.TryDeleteAsync(TableNames.SignInThrottle, key, IpRow(ip), Azure.ETag.All, ct);
        await tables.TryDeleteAsync(TableNames.SignInThrottle, key, AccountRow, Azure.ETag.All, ct);
    }

    private async Task UpdateAsync(string key, string rowKey, Action<ThrottleEntity, DateTimeOffset> change, CancellationToken ct)
    {
        // Optimistic concurrency: parallel failures must all be counted, so a lost race re-reads and retries.
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var now = time.GetUtcNow();
            var row = await tables.FindAsync<ThrottleEntity>(TableNames.SignInThrottle, key, rowKey, ct);
            if (row is null)
            {
                row = new ThrottleEntity { PartitionKey = key, RowKey = rowKey, WindowStart = now };
                change(row, now);
                if ((await tables.TryAddAsync(TableNames.SignInThrottle, row, ct)).Succeeded) return;
            }
            else
            {
                change(row, now);
                if ((await tables.TryReplaceAsync(TableNames.SignInThrottle, row, row.ETag, ct)).Succeeded) return;
            }
        }
    }

    private static string IpRow(IPAddress ip) => "ip|" + ip.ToString().Replace(':', '-');
}

public sealed class ThrottleEntity : StoredEntity
{
    public int Failures { get; set; }
    public DateTimeOffset WindowStart { get; set; }
    public DateTimeOffset? BlockedUntil { get; set; }
}
