namespace Fractal.Functions.Maintenance.Domain;

/// <summary>What kind of refusal an error is, so callers (MCP tools) can map it without parsing codes.</summary>
public enum DomainErrorKind
{
    /// <summary>The record does not exist in this tenant.</summary>
    NotFound,
    /// <summary>A value in the request is malformed or out of range.</summary>
    Invalid,
    /// <summary>A business rule refuses the change (e.g. an illegal status transition).</summary>
    Refused,
    /// <summary>Someone else changed the record since it was read: re-read and try again.</summary>
    Conflict,
}

/// <summary>
/// A domain refusal as a value, never an exception: a stable <see cref="Code"/> (see
/// <see cref="MaintenanceErrors"/>, the one catalogue), a kind, and a message a person or a model can act on.
/// </summary>
public sealed record DomainError(string Code, DomainErrorKind Kind, string Message)
{
    public override string ToString() => $"{Code}: {Message}";
}
