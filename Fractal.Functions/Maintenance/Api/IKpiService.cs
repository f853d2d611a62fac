using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Kpis;

namespace Fractal.Functions.Maintenance.Api;

/// <summary>The KPI engine (<c>get_kpis</c>, <c>rank_bad_actors</c>). Formulas: docs/kpis.md.</summary>
public interface IKpiService
{
    Task<DomainResult<KpiReport>> ComputeAsync(TenantId tenant, KpiRequest request, CancellationToken ct = default);

    /// <summary>Equipment of the scope ranked by failures, downtime or cost in the period (ties by asset code).</summary>
    Task<DomainResult<IReadOnlyList<BadActor>>> RankBadActorsAsync(TenantId tenant, BadActorRequest request, CancellationToken ct = default);
}
