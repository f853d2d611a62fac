using System.Globalization;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Users;
using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Audit;

/// <summary>Reads the log's filters from a query string: user (email), consumer (client_id), tool, outcome, from/to (dates, UTC, inclusive).</summary>
public sealed class AuditFilterReader(UserStore users)
{
    public async Task<(AuditFilter? Filter, string? Problem)> ReadAsync(TenantId tenant, IQueryCollection query, CancellationToken ct)
    {
        string? Value(string name) => string.IsNullOrWhiteSpace(query[name]) ? null : query[name].ToString().Trim();
        string? userId = null;
        if (Value("user") is { } email)
        {
            var user = await users.FindByEmailAsync(email, ct);
            // Someone of another tenant matches nothing, exactly like an unknown email.
            userId = user is not null && user.Tenant == tenant ? user.UserId : "\u0000none";
        }
        DateTimeOffset? from = null, to = null;
        if (Value("from") is { } f)
        {
            if (!DateOnly.TryParse(f, CultureInfo.InvariantCulture, out var d)) return (null, "from must be a date (yyyy-mm-dd).");
            from = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        if (Value("to") is { } t)
        {
            if (!DateOnly.TryParse(t, CultureInfo.InvariantCulture, out var d)) return (null, "to must be a date (yyyy-mm-dd).");
            to = new DateTimeOffset(d.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddTicks(-1);
        }
        var outcome = Value("outcome");
        if (outcome is not null && !Enum.TryParse<AuditOutcome>(outcome, ignoreCase: true, out _)) return (null, "outcome must be success, failure or refused.");
        return (new AuditFilter(userId, Value("consumer"), Value("tool"), outcome, from, to), null);
    }
}
