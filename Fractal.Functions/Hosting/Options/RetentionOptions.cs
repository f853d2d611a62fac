namespace Fractal.Functions.Hosting.Options;

/// <summary>How long rows outlive their use before the retention job purges them. Section <c>Retention</c>.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary><c>Retention:ExpiredGraceHours</c>: expired codes, sessions and token families stay this long after they expire.</summary>
    public int ExpiredGraceHours { get; set; } = 24;

    /// <summary><c>Retention:RevokedDays</c>: revoked token families (and those of revoked app authorizations) stay this long, for admins to see.</summary>
    public int RevokedDays { get; set; } = 30;

    /// <summary><c>Retention:StandaloneEnabled</c>: whether the standalone host runs the job daily itself (under the Functions host the timer function does).</summary>
    public bool StandaloneEnabled { get; set; } = true;
}
