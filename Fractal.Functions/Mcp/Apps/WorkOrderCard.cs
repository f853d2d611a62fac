using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Mcp.Tools;

namespace Fractal.Functions.Mcp.Apps;

/// <summary>
/// What the work-order card draws, sent in the result's <c>_meta</c> of <c>get_work_order</c> and of the card's own
/// transition tool: header, status timeline, tasks with done marks, costs, the latest notes, and the transitions this caller may make
/// (the state machine ∩ the caller's permissions, checked again by tools/call when a button is pressed). Overdue is
/// the rule of list_work_orders' overdue_only and of the overdue KPI (in process, past its due instant); how many days
/// late counts the plant's local days, and the card writes its dates in the plant's time zone.
/// </summary>
public static class WorkOrderCard
{
    public const string MetaKey = "fractal/workOrderCard";
    private const int MaxTimeline = 50;
    private const int MaxNotes = 20;

    public sealed record View(
        string Folio, string Title, WorkOrderType Type, int Priority, WorkOrderStatus Status, string AssetId, string AssetName,
        string? Responsible, DateTimeOffset CreatedAt, DateTimeOffset? DueAt, string? CancelReason, int Revision,
        IReadOnlyList<Task> Tasks, Costs Costs, IReadOnlyList<Step> Timeline, IReadOnlyList<WorkOrderStatus> Transitions, IReadOnlyList<Note> Notes,
        bool Overdue, int? DaysOverdue, string TimeZone);

    public sealed record Task(int Id, string Description, bool Done);

    /// <summary>A note (newest last); the tools/call filter adds the author's name beside <see cref="UserId"/> (PersonNames).</summary>
    public sealed record Note(int Number, DateTimeOffset At, string UserId, string Text);

    public sealed record Costs(decimal Parts, decimal Labour, decimal Services, decimal Total);

    /// <summary>One status change (the first is the creation).</summary>
    public sealed record Step(DateTimeOffset At, WorkOrderStatus? From, WorkOrderStatus To, string UserId, string? Detail);

    public static View From(WorkOrderDetails details, McpCaller caller, TenantTime local)
    {
        var o = details.Order;
        var overdue = o.IsOverdue(local.Now);
        int? daysLate = overdue ? local.Today.DayNumber - local.Clock.LocalDate(o.DueAt!.Value).DayNumber : null;
        var timeline = details.History.Where(h => h.To is not null)
            .Select(h => new Step(h.At, h.From, h.To!.Value, h.UserId, h.Detail)).TakeLast(MaxTimeline).ToList();
        return new View(o.Folio, o.Title, o.Type, o.Priority, o.Status, o.AssetId, o.AssetName, o.Responsible, o.CreatedAt, o.DueAt,
            o.CancelReason, o.Revision,
            o.Tasks.Select(t => new Task(t.Id, t.Description, t.Done)).ToList(),
            new Costs(o.Cost(ResourceKind.Part), o.Cost(ResourceKind.Labour), o.Cost(ResourceKind.Service), o.TotalCost),
            timeline,
            WorkOrderRules.AllowedFrom(o.Status).Where(to => caller.Can(PermissionFor(to))).ToList(),
            details.Notes.TakeLast(MaxNotes).Select(n => new Note(n.Number, n.At, n.UserId, n.Text)).ToList(),
            overdue, daysLate, local.Clock.Zone.Id);
    }

    /// <summary>The permission of the model-facing tool doing the same: cancel_work_order, or update_work_order.</summary>
    public static string PermissionFor(WorkOrderStatus to) =>
        to == WorkOrderStatus.Cancelled ? Permissions.WorkOrdersCancel : Permissions.WorkOrdersWrite;
}
