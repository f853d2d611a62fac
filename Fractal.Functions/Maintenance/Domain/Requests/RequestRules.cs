namespace Fractal.Functions.Maintenance.Domain.Requests;

/// <summary>
/// The request life cycle. Open and In process may be approved into a work order (WO in process),
/// resolved without one, cancelled or rejected. WO in process ends Resolved with WO when its order is done,
/// or goes back to In process when its order was cancelled. Resolved, cancelled and rejected are final.
/// Cancelling or rejecting needs a reason; approving into a work order needs the order's folio.
/// </summary>
public static class RequestRules
{
    public static IReadOnlyList<RequestStatus> AllowedFrom(RequestStatus from) => from switch
    {
        RequestStatus.Open => [RequestStatus.InProcess, RequestStatus.WorkOrderInProcess, RequestStatus.ResolvedWithoutWorkOrder, RequestStatus.Cancelled, RequestStatus.Rejected],
        RequestStatus.InProcess => [RequestStatus.WorkOrderInProcess, RequestStatus.ResolvedWithoutWorkOrder, RequestStatus.Cancelled, RequestStatus.Rejected],
        RequestStatus.WorkOrderInProcess => [RequestStatus.ResolvedWithWorkOrder, RequestStatus.InProcess],
        _ => [],
    };

    public static DomainResult<ServiceRequest> Create(long number, NewServiceRequest request, string? assetName, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Length > 200) return MaintenanceErrors.Invalid("title", "1 to 200 characters.");
        if (request.Description is { Length: > 4000 }) return MaintenanceErrors.Invalid("description", "at most 4000 characters.");
        if (string.IsNullOrWhiteSpace(request.Requester)) return MaintenanceErrors.Invalid("requester", "must not be empty.");
        return new ServiceRequest
        {
            Number = number, Title = request.Title.Trim(), Description = request.Description?.Trim(), AssetId = request.AssetId,
            AssetName = assetName, Requester = request.Requester, Urgent = request.Urgent, Status = RequestStatus.Open,
            CreatedAt = now, UpdatedAt = now, UpdatedBy = request.Requester, Revision = 1,
            History = [new RequestHistoryEntry(now, request.Requester, null, RequestStatus.Open, "created")],
        };
    }

    public static DomainResult<ServiceRequest> Transition(ServiceRequest request, RequestStatus to, string userId, DateTimeOffset now, string? reason = null, string? workOrderFolio = null)
    {
        var allowed = AllowedFrom(request.Status);
        if (!allowed.Contains(to))
        {
            var list = allowed.Count == 0 ? "none (final status)" : string.Join(", ", allowed.Select(s => s.Code()));
            return MaintenanceErrors.RequestTransitionRefused(request.Id, request.Status.Code(), to.Code(), list);
        }
        if (to is RequestStatus.Cancelled or RequestStatus.Rejected && string.IsNullOrWhiteSpace(reason))
            return MaintenanceErrors.Invalid("reason", $"rejecting or cancelling request {request.Id} needs a reason.");
        var folio = to == RequestStatus.WorkOrderInProcess ? workOrderFolio : request.WorkOrderFolio;
        if (to is RequestStatus.WorkOrderInProcess or RequestStatus.ResolvedWithWorkOrder && string.IsNullOrWhiteSpace(folio))
            return MaintenanceErrors.RequestWorkOrderRequired(request.Id);
        if (reason is { Length: > 4000 }) return MaintenanceErrors.Invalid("reason", "at most 4000 characters.");

        var entry = new RequestHistoryEntry(now, userId, request.Status, to, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
        return request with
        {
            Status = to,
            WorkOrderFolio = to == RequestStatus.InProcess ? null : folio,
            Resolution = to.IsFinal() ? entry.Detail : request.Resolution,
            UpdatedAt = now,
            UpdatedBy = userId,
            Revision = request.Revision + 1,
            History = [.. request.History.TakeLast(ServiceRequest.MaxHistory - 1), entry],
        };
    }
}
