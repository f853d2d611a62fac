namespace Fractal.Functions.Hosting.Options;

/// <summary>Sign-in throttling. Section <c>SignIn</c>. Failures slow attackers down instead of locking accounts, so nobody can lock a user out by guessing.</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "SignIn";

    /// <summary><c>SignIn:MaxFailuresPerIp</c>: failures from one IP for one account before that IP must wait.</summary>
    public int MaxFailuresPerIp { get; set; } = 5;

    /// <summary><c>SignIn:IpLockoutMinutes</c>: how long that IP waits (and the window the failures are counted in).</summary>
    public int IpLockoutMinutes { get; set; } = 15;

    /// <summary><c>SignIn:AccountDelayAfterFailures</c>: failures for one account, from any IP, after which every attempt waits a growing delay.</summary>
    public int AccountDelayAfterFailures { get; set; } = 10;

    /// <summary><c>SignIn:AccountMaxDelaySeconds</c>: the cap of that delay (it doubles per failure from 1 second).</summary>
    public int AccountMaxDelaySeconds { get; set; } = 300;
}

/// <summary>The sign-in session used by every page. Section <c>Sessions</c>.</summary>
public sealed class SessionOptions
{
    public const string Section = "Sessions";

    /// <summary><c>Sessions:AbsoluteHours</c>: a session ends this long after sign-in, however active.</summary>
    public int AbsoluteHours { get; set; } = 8;

    /// <summary><c>Sessions:IdleMinutes</c>: a session ends after this long without a request.</summary>
    public int IdleMinutes { get; set; } = 30;
}

/// <summary>How the client IP is found. Section <c>Network</c>.</summary>
public sealed class NetworkOptions
{
    public const string Section = "Network";

    /// <summary>
    /// <c>Network:TrustedProxies</c>: comma-separated IPs or CIDR ranges whose <c>X-Forwarded-For</c> is believed.
    /// Empty: loopback under the Functions host (every request reaches the worker through the host's own
    /// proxy), nobody standalone. <c>none</c>: trust nobody.
    /// </summary>
    public string? TrustedProxies { get; set; }

    /// <summary>
    /// <c>Network:ClientIpHeader</c>: a header in which a gateway in front of the app names the client (Azure Front Door:
    /// <c>X-Azure-ClientIP</c>), believed only when the request came from a trusted proxy (<see cref="TrustedProxies"/>:
    /// list the gateway's ranges there). Under the Functions host the host's proxy replaces <c>X-Forwarded-For</c> with
    /// the address that connected to it, so behind a gateway only the gateway's own header still names the client.
    /// Empty: none.
    /// </summary>
    public string? ClientIpHeader { get; set; }
}
