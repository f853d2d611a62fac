using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Fractal.Functions.Identity;

/// <summary>
/// A tenant (a Fractal One account). Every row of tenant data is keyed by it (it begins the
/// PartitionKey), so a query built from one tenant's id cannot reach another tenant's rows.
/// Request code obtains it only from the authenticated user or session, never from client input.
/// </summary>
public readonly partial record struct TenantId
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,62}$")]
    private static partial Regex Pattern();

    public string Value { get; }

    public TenantId(string value)
    {
        if (!IsValid(value)) throw new ArgumentException("A tenant id is 2-63 lower-case letters, digits and dashes.", nameof(value));
        Value = value;
    }

    public static bool IsValid([NotNullWhen(true)] string? value) => value is not null && Pattern().IsMatch(value);

    /// <summary>A new random tenant id.</summary>
    public static TenantId New() => new("t-" + Guid.NewGuid().ToString("N")[..20]);

    public override string ToString() => Value;
}
