using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Maintenance.Api;

/// <summary>
/// Who edits which work order. With <see cref="ExpectedRevision"/> the edit applies only if the order is still
/// at that revision (what the caller last saw); either way a concurrent change between read and write is a
/// <see cref="DomainErrorKind.Conflict"/>, never a silent overwrite.
/// </summary>
public sealed record WorkOrderEdit(string Folio, string UserId, int? ExpectedRevision = null);

/// <summary>Work orders of a tenant: the calls behind list/get/create/update/complete/cancel tools.</summary>
public interface IWorkOrderService
{
    /// <summary>Header, tasks, resources, costs, history and notes. Folio "OT-123" or "123".</summary>
    Task<DomainResult<WorkOrderDetails>> GetAsync(TenantId tenant, string folio, CancellationToken ct = default);

    /// <summary>Filtered, newest first (date and overdue filters: by that date); cursor paging.</summary>
    Task<DomainResult<Page<WorkOrderSummary>>> ListAsync(TenantId tenant, WorkOrderQuery query, PageRequest page, CancellationToken ct = default);

    /// <summary>
    /// What get_asset shows beside the asset: the asset's open downtime (oldest order first) and the first
    /// <paramref name="recent"/> (1-100) orders of its subtree, exactly as <see cref="ListAsync"/> by asset lists them.
    /// </summary>
    Task<AssetActivity> GetAssetActivityAsync(TenantId tenant, Asset asset, int recent, CancellationToken ct = default);

    /// <summary>
    /// Creates an order In process with the next folio (allocated atomically). A repeated
    /// <paramref name="idempotencyKey"/> returns the order the first call created instead of a second one: the caller
    /// scopes the key to who asks (MCP: <c>IdempotentCalls.ScopedKey</c>), since the dedupe here is per tenant.
    /// From a request, the request must be open or in process and moves to "WO in process".
    /// </summary>
    Task<DomainResult<WorkOrder>> CreateAsync(TenantId tenant, NewWorkOrder order, string userId, string? idempotencyKey = null, CancellationToken ct = default);

    /// <summary>In process ↔ In review → Completed (and Cancelled, which needs <paramref name="comment"/> as the reason).</summary>
    Task<DomainResult<WorkOrder>> TransitionAsync(TenantId tenant, WorkOrderEdit edit, WorkOrderStatus to, string? comment = null, CancellationToken ct = default);

    Task<DomainResult<WorkOrder>> CancelAsync(TenantId tenant, WorkOrderEdit edit, string reason, CancellationToken ct = default);
    Task<DomainResult<WorkOrder>> AddNoteAsync(TenantId tenant, WorkOrderEdit edit, string text, CancellationToken ct = default);

    /// <summary>A note and a move in one change: both saved, or (a refused move, a lost race, an outage) neither.</summary>
    Task<DomainResult<WorkOrder>> AddNoteAndTransitionAsync(TenantId tenant, WorkOrderEdit edit, string text, WorkOrderStatus to, CancellationToken ct = default);
    Task<DomainResult<WorkOrder>> AddTaskAsync(TenantId tenant, WorkOrderEdit edit, NewTask task, CancellationToken ct = default);
    Task<DomainResult<WorkOrder>> CompleteTaskAsync(TenantId tenant, WorkOrderEdit edit, TaskCompletion completion, CancellationToken ct = default);
    Task<DomainResult<WorkOrder>> MarkOutOfServiceAsync(TenantId tenant, WorkOrderEdit edit, int taskId, DateTimeOffset start, CancellationToken ct = default);
    Task<DomainResult<WorkOrder>> AddResourceAsync(TenantId tenant, WorkOrderEdit edit, NewResource resource, CancellationToken ct = default);
    Task<DomainResult<WorkOrder>> ReassignAsync(TenantId tenant, WorkOrderEdit edit, string? responsible, CancellationToken ct = default);
    Task<DomainResult<WorkOrder>> RescheduleAsync(TenantId tenant, WorkOrderEdit edit, DateTimeOffset? scheduledAt, CancellationToken ct = default);
}
