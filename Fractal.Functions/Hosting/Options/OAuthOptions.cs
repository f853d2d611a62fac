namespace Fractal.Functions.Hosting.Options;

/// <summary>Token lifetimes and the revocation bound. Section <c>OAuth</c>.</summary>
public sealed class OAuthOptions
{
    public const string Section = "OAuth";

    /// <summary><c>OAuth:AccessTokenMinutes</c>: lifetime of a JWT access token.</summary>
    public int AccessTokenMinutes { get; set; } = 60;

    /// <summary><c>OAuth:RefreshIdleDays</c>: a refresh token family dies this long after its last use.</summary>
    public int RefreshIdleDays { get; set; } = 30;

    /// <summary><c>OAuth:RefreshMaxDays</c>: a refresh token family dies this long after it began, however used.</summary>
    public int RefreshMaxDays { get; set; } = 90;

    /// <summary><c>OAuth:RefreshReuseLeewaySeconds</c>: the replaced refresh token still answers (with the same successor) for this long, for clients that refresh in parallel.</summary>
    public int RefreshReuseLeewaySeconds { get; set; } = 30;

    /// <summary><c>OAuth:StatusCacheSeconds</c>: the bound on how long a revoked grant or family, a disabled user or a role change may go unnoticed by an instance.</summary>
    public int StatusCacheSeconds { get; set; } = 60;
}
