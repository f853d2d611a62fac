using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Search;

namespace Fractal.Functions.Maintenance.Api;

/// <summary>
/// Full-text search across work orders, assets, requests, parts and plans (the <c>search</c> tool).
/// Accent- and case-insensitive; ranked as <see cref="TermIndexReader"/> documents.
/// </summary>
public interface ISearchService
{
    Task<DomainResult<IReadOnlyList<SearchHit>>> SearchAsync(TenantId tenant, string text, IReadOnlyCollection<SearchKind>? kinds = null, int limit = 20, CancellationToken ct = default);
}
