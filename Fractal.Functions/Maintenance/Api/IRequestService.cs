using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Requests;

namespace Fractal.Functions.Maintenance.Api;

public sealed record RequestEdit(string Id, string UserId, int? ExpectedRevision = null);

/// <summary>What a request list shows (kept in the request's index rows).</summary>
public sealed record RequestSummary(string Id, string Title, RequestStatus Status, bool Urgent, string? AssetId, string? AssetName, string Requester, DateTimeOffset CreatedAt, string? WorkOrderFolio)
{
    public static RequestSummary From(ServiceRequest r) => new(r.Id, r.Title, r.Status, r.Urgent, r.AssetId, r.AssetName, r.Requester, r.CreatedAt, r.WorkOrderFolio);
}

/// <summary>Filters of <c>list_requests</c>: status (an index), urgent (filter on that range).</summary>
public sealed record RequestQuery(RequestStatus? Status = null, bool? Urgent = null);

/// <summary>Service requests: <c>list_requests</c>, <c>create_work_request</c>, <c>update_request_status</c>.</summary>
public interface IRequestService
{
    Task<DomainResult<ServiceRequest>> GetAsync(TenantId tenant, string id, CancellationToken ct = default);
    Task<DomainResult<Page<RequestSummary>>> ListAsync(TenantId tenant, RequestQuery query, PageRequest page, CancellationToken ct = default);
    /// <summary>
    /// Opens a request. A repeated <paramref name="idempotencyKey"/> returns the request the first call created: the caller
    /// scopes the key to who asks (MCP: <c>IdempotentCalls.ScopedKey</c>), since the dedupe here is per tenant.
    /// </summary>
    Task<DomainResult<ServiceRequest>> CreateAsync(TenantId tenant, NewServiceRequest request, string? idempotencyKey = null, CancellationToken ct = default);

    /// <summary>Per <see cref="RequestRules"/>; a reason is needed to reject or cancel, a work-order folio to approve into one.</summary>
    Task<DomainResult<ServiceRequest>> TransitionAsync(TenantId tenant, RequestEdit edit, RequestStatus to, string? reason = null, string? workOrderFolio = null, CancellationToken ct = default);
}
