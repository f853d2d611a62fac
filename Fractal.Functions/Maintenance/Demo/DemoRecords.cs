using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Requests;
using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Maintenance.Demo;

/// <summary>Turns the simulation into the domain records the stores keep, with a history that tells how each got there.</summary>
internal static class DemoRecords
{
    public static WorkOrderDetails WorkOrder(SimWorkOrder sim, Asset asset)
    {
        var events = new List<(DateTimeOffset At, string User, string Action, WorkOrderStatus? From, WorkOrderStatus? To, string? Detail)>
        {
            (sim.CreatedAt, sim.CreatedBy, "created", null, WorkOrderStatus.InProcess, null),
        };
        foreach (var (task, i) in sim.Tasks.Select((t, i) => (t, i)).Where(x => x.t.Done))
            events.Add((task.End!.Value, sim.Responsible, "task_completed", null, null, $"task {i + 1}"));
        var workEnd = sim.Tasks.Where(t => t.Done).Select(t => t.End).Max();
        foreach (var resource in sim.Resources)
            events.Add((workEnd ?? sim.CreatedAt, sim.Responsible, "resource_added", null, null, $"{resource.Kind.ToString().ToLowerInvariant()} {resource.Description} x{resource.Quantity}"));
        var notes = sim.Notes.Select((n, i) => new WorkOrderNote(i + 1, n.At, n.User, n.Text)).ToList();
        events.AddRange(notes.Select(n => (n.At, n.UserId, "note", (WorkOrderStatus?)null, (WorkOrderStatus?)null, (string?)$"note {n.Number}")));
        if (sim.EndedAt is { } ended) events.Add((ended, sim.Responsible, "status", WorkOrderStatus.InProcess, WorkOrderStatus.InReview, null));
        if (sim.CompletedAt is { } completed) events.Add((completed, DemoCatalog.Supervisor, "status", WorkOrderStatus.InReview, WorkOrderStatus.Completed, null));
        if (sim.CancelledAt is { } cancelled) events.Add((cancelled, DemoCatalog.Supervisor, "status", WorkOrderStatus.InProcess, WorkOrderStatus.Cancelled, sim.CancelReason));

        var history = events.Select((e, i) => (e, i)).OrderBy(x => x.i == 0 ? DateTimeOffset.MinValue : x.e.At).ThenBy(x => x.i)
            .Select((x, i) => new HistoryEntry(i + 1, x.e.At, x.e.User, x.e.Action, x.e.From, x.e.To, x.e.Detail)).ToList();
        var tasks = sim.Tasks.Select((t, i) => new WorkOrderTask(i + 1, t.Description, t.PlannedMinutes, t.RealMinutes, t.Done, t.Start, t.End, t.Failure, t.DownStart, t.DownEnd)).ToList();
        var resources = sim.Resources.Select((r, i) => new WorkOrderResource(i + 1, r.Kind, r.Description, r.PartCode, r.Quantity, r.UnitCost)).ToList();
        var order = new WorkOrder
        {
            Number = sim.Number, Title = sim.Title, Description = sim.Description, Type = sim.Type, Priority = sim.Priority, Status = sim.Status,
            AssetId = asset.Id, AssetName = asset.Name, AssetPath = asset.Path, Responsible = sim.Responsible, RequestId = sim.RequestId,
            PendingTaskId = sim.PendingTaskId, PlanIntervalDays = sim.IntervalDays, CreatedAt = sim.CreatedAt, CreatedBy = sim.CreatedBy,
            DueAt = sim.DueAt, EndedAt = sim.EndedAt, CompletedAt = sim.CompletedAt, CancelledAt = sim.CancelledAt, CancelReason = sim.CancelReason,
            Tasks = tasks, Resources = resources, Revision = history.Count, NoteCount = notes.Count,
            UpdatedAt = history[^1].At, UpdatedBy = history[^1].UserId,
        };
        return new WorkOrderDetails(order, history, notes);
    }

    public static ServiceRequest Request(SimRequest sim, Asset? asset)
    {
        var history = new List<RequestHistoryEntry> { new(sim.CreatedAt, sim.Requester, null, RequestStatus.Open, "created") };
        var status = RequestStatus.Open;
        string? folio = null;
        foreach (var (at, user, to, detail) in sim.Changes.OrderBy(c => c.At))
        {
            history.Add(new RequestHistoryEntry(at, user, status, to, detail));
            status = to;
            if (to == RequestStatus.WorkOrderInProcess) folio = Domain.WorkOrders.WorkOrder.FormatFolio(sim.WorkOrder!.Number);
        }
        return new ServiceRequest
        {
            Number = sim.Number, Title = sim.Title, Description = sim.Description, AssetId = asset?.Id, AssetName = asset?.Name, Requester = sim.Requester,
            Urgent = sim.Urgent, Status = status, CreatedAt = sim.CreatedAt, WorkOrderFolio = folio, Resolution = status.IsFinal() ? history[^1].Detail : null,
            UpdatedAt = history[^1].At, UpdatedBy = history[^1].UserId, Revision = history.Count, History = history,
        };
    }
}
