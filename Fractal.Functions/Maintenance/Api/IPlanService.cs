using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Plans;

namespace Fractal.Functions.Maintenance.Api;

/// <summary>
/// Filters of <c>list_pending_tasks</c>: calculated due date in [DueFrom, DueTo), or overdue only (calculated
/// due date before now); optionally one asset. Tasks waiting on a meter threshold have no due date yet, so
/// they are not in this list: <see cref="IPlanService.ListMeterTriggeredAsync"/> lists them.
/// </summary>
public sealed record PendingTaskQuery(DateTimeOffset? DueFrom = null, DateTimeOffset? DueTo = null, bool OverdueOnly = false, string? AssetId = null);

/// <summary>Preventive plans and their pending tasks (the PM forecast).</summary>
public interface IPlanService
{
    Task<DomainResult<PreventivePlan>> GetPlanAsync(TenantId tenant, string planId, CancellationToken ct = default);
    Task<DomainResult<Page<PreventivePlan>>> ListPlansAsync(TenantId tenant, PageRequest page, CancellationToken ct = default);
    Task<DomainResult<PendingTask>> GetPendingTaskAsync(TenantId tenant, string id, CancellationToken ct = default);

    /// <summary>Pending tasks by calculated due date (oldest first).</summary>
    Task<DomainResult<Page<PendingTask>>> ListPendingTasksAsync(TenantId tenant, PendingTaskQuery query, PageRequest page, CancellationToken ct = default);

    /// <summary>Pending tasks triggered by one meter (those without a due date wait for its threshold).</summary>
    Task<IReadOnlyList<PendingTask>> ListMeterTriggeredAsync(TenantId tenant, string meterId, CancellationToken ct = default);

    /// <summary>Creates a plan and one pending task per (task, asset), first due <c>Interval</c> days after <paramref name="start"/>.</summary>
    Task<DomainResult<PreventivePlan>> CreatePlanAsync(TenantId tenant, PreventivePlan plan, DateTimeOffset start, CancellationToken ct = default);
}
