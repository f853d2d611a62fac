using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;

namespace Fractal.Functions.Maintenance.Search;

/// <summary>
/// Searches each kind's term index in parallel (one range read per query term and kind) and merges by score.
/// Equal scores list the more canonical record first: asset, part, plan, work order, request (a query that
/// names an asset equally matches the asset and every order whose title carries its name).
/// </summary>
internal sealed class SearchService(TermIndexReader terms) : ISearchService
{
    public const int MaxLimit = 100;

    public async Task<DomainResult<IReadOnlyList<SearchHit>>> SearchAsync(TenantId tenant, string text, IReadOnlyCollection<SearchKind>? kinds = null, int limit = 20, CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxLimit) return MaintenanceErrors.Invalid("limit", $"1 to {MaxLimit}.");
        if (string.IsNullOrWhiteSpace(text) || text.Length > 500) return MaintenanceErrors.Invalid("query", "1 to 500 characters.");
        var queryTerms = TermIndexReader.QueryTerms(text);
        if (queryTerms.Count == 0) return Array.Empty<SearchHit>();
        var selected = (kinds is null || kinds.Count == 0 ? SearchKinds.All : kinds).Distinct().ToList();
        var perKind = await Task.WhenAll(selected.Select(async kind =>
            (await terms.ScoreAsync(SearchKinds.Table(kind), tenant.Value, queryTerms, ct).ConfigureAwait(false))
                .Select(r => new SearchHit(kind, r.Ref, r.Title, Math.Round(r.Score, 4))))).ConfigureAwait(false);
        return perKind.SelectMany(h => h).OrderByDescending(h => h.Score).ThenBy(h => Precedence(h.Kind)).ThenBy(h => h.Id, StringComparer.Ordinal).Take(limit).ToList();
    }

    private static int Precedence(SearchKind kind) => kind switch
    {
        SearchKind.Asset => 0,
        SearchKind.Part => 1,
        SearchKind.Plan => 2,
        SearchKind.WorkOrder => 3,
        _ => 4,
    };
}
