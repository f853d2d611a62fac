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

        // A throttled attempt is refused before the password is checked, so it teaches an attacker nothing.
        var wait = await throttle.RetryAfterAsync(email, ip, ct);
        if (wait is not null)
        {
            FractalTelemetry.SignInFailed("throttled");
            return new SignInResult(SignInStatus.Throttled, RetryAfter: wait);
        }

        var user = await users.FindByEmailAsync(email, ct);
        if (user is null) users.VerifyAgainstDummy(password);
        var verified = user is not null && users.VerifyPassword(user, password) != PasswordVerificationResult.Failed;
        if (!verified || !user!.Enabled)
        {
            await throttle.RecordFailureAsync(email, ip, ct);
            FractalTelemetry.SignInFailed(user is null ? "unknown_account" : user.Enabled ? "wrong_password" : "disabled");
            if (user is not null)
                await audit.WriteAsync(user.Tenant, new Audit.AuditEntry("sign_in", Audit.AuditOutcome.Failure, UserId: user.UserId,
                    Detail: user.Enabled ? "wrong password" : "user disabled", ClientIp: ip.ToString()), ct);
            return new SignInResult(SignInStatus.InvalidCredentials);
        }

        await throttle.RecordSuccessAsync(email, ip, ct);
        await audit.WriteAsync(user.Tenant, new Audit.AuditEntry("sign_in", Audit.AuditOutcome.Success, UserId: user.UserId, ClientIp: ip.ToString()), ct);
        return new SignInResult(SignInStatus.Succeeded, user);
    }
}
