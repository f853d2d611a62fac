using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.People;

namespace Fractal.Functions.Maintenance.Api;

/// <summary>
/// The tenant's people: who the ids on orders, requests and readings are (<c>tec-05</c> is Diego Muñoz; a signed-in
/// user's id is that user's display name), who can be made responsible, and each one's open work.
/// </summary>
public interface IPeopleService
{
    /// <summary>Every person of the tenant's list, by name.</summary>
    Task<IReadOnlyList<Person>> ListAsync(TenantId tenant, CancellationToken ct = default);

    /// <summary>Names by id (case-insensitive): the people list and the tenant's users.</summary>
    Task<IReadOnlyDictionary<string, string>> NamesAsync(TenantId tenant, CancellationToken ct = default);

    /// <summary>
    /// The id a person argument means: an id as it is, or a name (accent- and case-insensitive; a part of the name when
    /// only one person has it). Several matches is an error naming them; no match is an error listing the people,
    /// except in a tenant without a people list (its ids are free text, as given).
    /// </summary>
    Task<DomainResult<string>> ResolveAsync(TenantId tenant, string text, string argument, bool assignableOnly, CancellationToken ct = default);

    /// <summary>Adds or replaces people (the demo loader; an administration screen later).</summary>
    Task SaveAsync(TenantId tenant, IEnumerable<Person> people, CancellationToken ct = default);

    /// <summary>
    /// Open work per assignable person (or one person): from the index of open orders by status (in process, in
    /// review), one range read, never a scan of every order. "This week" is the tenant's local week, Monday first.
    /// </summary>
    Task<IReadOnlyList<PersonWorkload>> WorkloadAsync(TenantId tenant, string? personId, CancellationToken ct = default);
}
