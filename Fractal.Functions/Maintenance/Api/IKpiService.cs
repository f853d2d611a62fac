using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Kpis;

namespace Fractal.Functions.Maintenance.Api;

/// <summary>The KPI engine (<c>get_kpis</c>, <c>rank_bad_actors</c>). Formulas: docs/kpis.md.</summary>
public interface IKpiService
{
    Task<DomainResult<KpiReport>> ComputeAsync(TenantId tenant, KpiRequest request, CancellationToken ct = default);

    /// <summary>
    /// Several reports of one scope and as-of (e.g. a period and its monthly trend) from one set of reads that
    /// covers them all: the same storage round trips as one report. The reports come back in request order.
    /// </summary>
    Task<DomainResult<IReadOnlyList<KpiReport>>> ComputeAllAsync(TenantId tenant, IReadOnlyList<KpiRequest> requests, CancellationToken ct = default);

    /// <summary>Equipment of the scope ranked by failures, downtime or cost in the period (ties by asset code).</summary>
    Task<DomainResult<IReadOnlyList<BadActor>>> RankBadActorsAsync(TenantId tenant, BadActorRequest request, CancellationToken ct = default);
}
