using System.Net;
using Fractal.Functions.Hosting.Telemetry;
using Fractal.Functions.Identity.Users;
using Microsoft.AspNetCore.Identity;

namespace Fractal.Functions.Identity.SignIn;

public enum SignInStatus { Succeeded, InvalidCredentials, Throttled }

public sealed record SignInResult(SignInStatus Status, UserEntity? User = null, TimeSpan? RetryAfter = null);

/// <summary>Checks an email and password under the throttle. One answer for an unknown email and a wrong password.</summary>
public sealed class SignInService(UserStore users, SignInThrottle throttle, Audit.AuditLog audit)
{
    public async Task<SignInResult> SignInAsync(string email, string password, IPAddress ip, CancellationToken ct)
    {
        if (!EmailAddress.IsValid(email) || password.Length is 0 or > 1024)
        {
            FractalTelemetry.SignInFailed("malformed");
            return new SignInResult(SignInStatus.InvalidCredentials);
        }

        // The attempt is counted before the password is checked (SignInThrottle): parallel guesses verify at most
        // the allowed number, and a throttled attempt teaches an attacker nothing.
        var wait = await throttle.TryReserveAsync(email, ip, ct);
        if (wait is not null)
        {
            FractalTelemetry.SignInFailed("throttled");
            return new SignInResult(SignInStatus.Throttled, RetryAfter: wait);
        }

        // An unknown email and a wrong password cost the same work (OWASP ASVS 2.2, no enumeration by timing): the same
        // storage reads (UserStore.FindByEmailAsync), one hash verification each, and no storage write on the response
        // path (the failure's audit entry goes with the next deferred batch).
        var user = await users.FindByEmailAsync(email, ct);
        var verified = users.VerifyPassword(user, password) != PasswordVerificationResult.Failed;
        if (!verified || !user!.Enabled)
        {
            FractalTelemetry.SignInFailed(user is null ? "unknown_account" : user.Enabled ? "wrong_password" : "disabled");
            if (user is not null)
                await audit.DeferAsync(user.Tenant, new Audit.AuditEntry("sign_in", Audit.AuditOutcome.Failure, UserId: user.UserId,
                    Detail: user.Enabled ? "wrong password" : "user disabled", ClientIp: ip.ToString()), ct);
            return new SignInResult(SignInStatus.InvalidCredentials);
        }

        await throttle.ClearAsync(email, ip, ct);
        await audit.WriteAsync(user.Tenant, new Audit.AuditEntry("sign_in", Audit.AuditOutcome.Success, UserId: user.UserId, ClientIp: ip.ToString()), ct);
        return new SignInResult(SignInStatus.Succeeded, user);
    }

    /// <summary>
    /// Checks a signed-in person's current password (before a change) under the same throttle as sign-in: a stolen
    /// session must not become a way to guess the password, nor to replace it without knowing it.
    /// </summary>
    public async Task<SignInResult> VerifyCurrentPasswordAsync(UserEntity user, string password, IPAddress ip, CancellationToken ct)
    {
        if (password.Length is 0 or > Passwords.MaxLength) return new SignInResult(SignInStatus.InvalidCredentials);
        if (await throttle.TryReserveAsync(user.Email, ip, ct) is { } wait) return new SignInResult(SignInStatus.Throttled, RetryAfter: wait);
        if (users.VerifyPassword(user, password) == PasswordVerificationResult.Failed)
        {
            await audit.WriteAsync(user.Tenant, new Audit.AuditEntry("password_changed", Audit.AuditOutcome.Refused, user.UserId,
                Detail: "current password not correct", ClientIp: ip.ToString()), ct);
            return new SignInResult(SignInStatus.InvalidCredentials);
        }
        await throttle.ClearAsync(user.Email, ip, ct);
        return new SignInResult(SignInStatus.Succeeded, user);
    }
}
