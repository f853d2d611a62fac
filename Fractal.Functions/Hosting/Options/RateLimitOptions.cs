namespace Fractal.Functions.Hosting.Options;

/// <summary>
/// Request rate limits, each a fixed one-minute window counted by each instance on its own (see README, "Rate
/// limits"). Section <c>RateLimits</c>.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary><c>RateLimits:SignInPerIpPerMinute</c>: sign-in form posts per client IP (the failure throttle comes on top).</summary>
    public int SignInPerIpPerMinute { get; set; } = 60;

    /// <summary><c>RateLimits:AuthorizePerIpPerMinute</c>: /oauth/authorize requests per client IP.</summary>
    public int AuthorizePerIpPerMinute { get; set; } = 300;

    /// <summary><c>RateLimits:TokenPerIpPerMinute</c>: /oauth/token requests per client IP; /oauth/revoke counts its own requests against the same number.</summary>
    public int TokenPerIpPerMinute { get; set; } = 300;

    /// <summary><c>RateLimits:TokenPerConsumerPerMinute</c>: /oauth/token requests per authenticated consumer (client_id).</summary>
    public int TokenPerConsumerPerMinute { get; set; } = 600;

    /// <summary><c>RateLimits:ToolCallsPerGrantPerMinute</c>: MCP tools/call requests per grant (one user with one consumer).</summary>
    public int ToolCallsPerGrantPerMinute { get; set; } = 300;
}
