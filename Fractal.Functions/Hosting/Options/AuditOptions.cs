namespace Fractal.Functions.Hosting.Options;

/// <summary>The audit log ("Transactions log"). Section <c>Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary><c>Audit:RetentionDays</c>: entries older than this are purged.</summary>
    public int RetentionDays { get; set; } = 365;
}
