using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>
/// Arguments that name a person (responsible, person filters): an id or a name, resolved within the caller's tenant
/// (<see cref="IPeopleService.ResolveAsync"/>). An ambiguous or unknown name is a tool error listing who there is, so the
/// model can ask or pick.
/// </summary>
public static class PersonArguments
{
    /// <summary>The id <paramref name="value"/> means (null when absent), or the domain error to answer with.</summary>
    public static async Task<DomainResult<string?>> ResolveAsync(IPeopleService people, McpCaller caller, string? value, string name, bool assignableOnly, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(value)) return DomainResult<string?>.Ok(null);
        return (await people.ResolveAsync(caller.Tenant, ToolArguments.Text(value, name, 120), name, assignableOnly, ct)).Map<string?>(id => id);
    }
}
