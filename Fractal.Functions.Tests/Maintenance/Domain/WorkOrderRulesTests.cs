using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.WorkOrders;

using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Maintenance.Domain;

public sealed class WorkOrderRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static WorkOrder Order(WorkOrderStatus status, bool tasksDone = true) => new()
    {
        Number = 7, Title = "Cambio de filtro", Type = WorkOrderType.Preventive, Priority = 3, Status = status,
        AssetId = "EQ1", AssetName = "Compresor", AssetPath = "S1.EQ1.", CreatedAt = T0, CreatedBy = "creator",
        Tasks = [new WorkOrderTask(1, "Cambiar filtro", 30, Done: tasksDone, StartedAt: tasksDone ? T0 : null, EndedAt: tasksDone ? T0.AddMinutes(40) : null)],
        Revision = 3, UpdatedAt = T0, UpdatedBy = "creator",
    };

    private static readonly (WorkOrderStatus From, WorkOrderStatus To)[] Allowed =
    [
        (WorkOrderStatus.InProcess, WorkOrderStatus.InReview),
        (WorkOrderStatus.InProcess, WorkOrderStatus.Cancelled),
        (WorkOrderStatus.InReview, WorkOrderStatus.InProcess),
        (WorkOrderStatus.InReview, WorkOrderStatus.Completed),
        (WorkOrderStatus.InReview, WorkOrderStatus.Cancelled),
    ];

    public static TheoryData<WorkOrderStatus, WorkOrderStatus> AllowedTransitions() => Theory.Data(Allowed.Select(a => (a.From, a.To)));

    public static TheoryData<WorkOrderStatus, WorkOrderStatus> RefusedTransitions() =>
        Theory.Data(from s in Enum.GetValues<WorkOrderStatus>() from t in Enum.GetValues<WorkOrderStatus>() where !Allowed.Contains((s, t)) select (s, t));

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void An_allowed_transition_changes_the_status_and_appends_one_history_entry_with_who_and_when(WorkOrderStatus from, WorkOrderStatus to)
    {
        var at = T0.AddHours(5);
        var result = WorkOrderRules.Transition(Order(from), to, "supervisor-1", at, "motivo");

        Assert.True(result.IsSuccess, result.ToString());
        var change = result.Value;
        Assert.Equal(to, change.Order.Status);
        Assert.Equal(4, change.Order.Revision);
        Assert.Equal(new HistoryEntry(4, at, "supervisor-1", "status", from, to, "motivo"), change.Entry);
        Assert.Equal("supervisor-1", change.Order.UpdatedBy);
        Assert.Equal(at, change.Order.UpdatedAt);
    }

    [Theory]
    [MemberData(nameof(RefusedTransitions))]
    public void A_refused_transition_is_a_typed_domain_error_and_not_an_exception(WorkOrderStatus from, WorkOrderStatus to)
    {
        var result = WorkOrderRules.Transition(Order(from), to, "supervisor-1", T0, "motivo");

        Assert.False(result.IsSuccess);
        Assert.Equal(DomainErrorKind.Refused, result.Error.Kind);
        var expectedCode = from switch
        {
            WorkOrderStatus.Completed => "maintenance.work_order.completed_is_immutable",
            WorkOrderStatus.Cancelled => "maintenance.work_order.cancelled_is_closed",
            _ => "maintenance.work_order.transition_refused",
        };
        Assert.Equal(expectedCode, result.Error.Code);
        Assert.Contains("OT-7", result.Error.Message);
    }

    [Fact]
    public void A_completed_work_order_cannot_be_cancelled()
    {
        var result = WorkOrderRules.Cancel(Order(WorkOrderStatus.Completed), "ya no se necesita", "supervisor-1", T0);
        Assert.Equal("maintenance.work_order.completed_is_immutable", result.Error!.Code);
    }

    [Fact]
    public void Cancelling_needs_a_reason()
    {
        foreach (var reason in new[] { null, "", "   " })
        {
            var result = WorkOrderRules.Cancel(Order(WorkOrderStatus.InProcess), reason, "supervisor-1", T0);
            Assert.Equal("maintenance.work_order.cancel_reason_required", result.Error!.Code);
            Assert.Equal(DomainErrorKind.Invalid, result.Error.Kind);
        }
    }

    [Fact]
    public void Cancelling_records_the_reason_and_closes_open_downtime_at_the_cancellation_time()
    {
        var wo = Order(WorkOrderStatus.InProcess, tasksDone: false);
        wo = wo with { Tasks = [wo.Tasks[0] with { OutOfServiceStart = T0 }] };
        var at = T0.AddHours(3);

        var change = WorkOrderRules.Cancel(wo, "equipo dado de baja", "supervisor-1", at).Value;

        Assert.Equal(WorkOrderStatus.Cancelled, change.Order.Status);
        Assert.Equal("equipo dado de baja", change.Order.CancelReason);
        Assert.Equal(at, change.Order.CancelledAt);
        Assert.Equal(at, change.Order.Tasks[0].OutOfServiceEnd);
        Assert.Equal("equipo dado de baja", change.Entry.Detail);
    }

    public static TheoryData<string> Edits() => new(["note", "task", "complete_task", "resource", "reassign", "reschedule", "out_of_service"]);

    private static DomainResult<WorkOrderChange> Edit(string edit, WorkOrder wo) => edit switch
    {
        "note" => WorkOrderRules.AddNote(wo, "texto", "u", T0),
        "task" => WorkOrderRules.AddTask(wo, new NewTask("otra", 10), "u", T0),
        "complete_task" => WorkOrderRules.CompleteTask(wo, new TaskCompletion(1, T0.AddHours(-1), T0), "u", T0),
        "resource" => WorkOrderRules.AddResource(wo, new NewResource(ResourceKind.Part, "Filtro", 1, 10), "u", T0),
        "reassign" => WorkOrderRules.Reassign(wo, "otro", "u", T0),
        "reschedule" => WorkOrderRules.Reschedule(wo, T0.AddDays(2), "u", T0),
        "out_of_service" => WorkOrderRules.MarkOutOfService(wo, 1, T0, "u", T0),
        _ => throw new ArgumentOutOfRangeException(nameof(edit)),
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void A_completed_work_order_refuses_every_edit(string edit)
    {
        var result = Edit(edit, Order(WorkOrderStatus.Completed));
        Assert.Equal("maintenance.work_order.completed_is_immutable", result.Error!.Code);
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public void A_cancelled_work_order_refuses_every_edit(string edit)
    {
        var result = Edit(edit, Order(WorkOrderStatus.Cancelled));
        Assert.Equal("maintenance.work_order.cancelled_is_closed", result.Error!.Code);
    }

    [Fact]
    public void Sending_to_review_with_tasks_not_done_is_refused()
    {
        var result = WorkOrderRules.Transition(Order(WorkOrderStatus.InProcess, tasksDone: false), WorkOrderStatus.InReview, "u", T0);
        Assert.Equal("maintenance.work_order.tasks_pending", result.Error!.Code);
    }

    [Fact]
    public void Entering_review_sets_the_work_end_to_the_last_task_end_and_returning_clears_it()
    {
        var review = WorkOrderRules.Transition(Order(WorkOrderStatus.InProcess), WorkOrderStatus.InReview, "u", T0.AddDays(1)).Value.Order;
        Assert.Equal(T0.AddMinutes(40), review.EndedAt);
        var back = WorkOrderRules.Transition(review, WorkOrderStatus.InProcess, "u", T0.AddDays(1)).Value.Order;
        Assert.Null(back.EndedAt);
        var completed = WorkOrderRules.Transition(review, WorkOrderStatus.Completed, "u", T0.AddDays(2)).Value.Order;
        Assert.Equal(T0.AddDays(2), completed.CompletedAt);
    }

    [Fact]
    public void Completing_a_task_records_times_failure_and_restoration()
    {
        var wo = Order(WorkOrderStatus.InProcess, tasksDone: false);
        wo = wo with { Tasks = [wo.Tasks[0] with { OutOfServiceStart = T0.AddHours(-5) }] };
        var failure = new TaskFailure("Rodamiento", "Desgaste", 4);

        var done = WorkOrderRules.CompleteTask(wo, new TaskCompletion(1, T0.AddHours(-3), T0.AddHours(-1), Failure: failure), "tec", T0).Value.Order.Tasks[0];

        Assert.True(done.Done);
        Assert.Equal(120, done.RealMinutes);
        Assert.Equal(failure, done.Failure);
        Assert.Equal(T0.AddHours(-1), done.OutOfServiceEnd);
        Assert.Equal("maintenance.work_order.task_already_done",
            WorkOrderRules.CompleteTask(wo with { Tasks = [done] }, new TaskCompletion(1, T0, T0), "tec", T0).Error!.Code);
    }

    [Fact]
    public void Invalid_values_are_typed_errors_naming_the_field()
    {
        var bad = new NewWorkOrder("", WorkOrderType.Corrective, 3, "EQ1", []);
        Assert.StartsWith("title", WorkOrderRules.ValidateNew(bad)!.Message);
        Assert.StartsWith("priority", WorkOrderRules.ValidateNew(bad with { Title = "x", Priority = 9 })!.Message);
        var resource = WorkOrderRules.AddResource(Order(WorkOrderStatus.InProcess), new NewResource(ResourceKind.Part, "Filtro", 0, 10), "u", T0);
        Assert.Equal(DomainErrorKind.Invalid, resource.Error!.Kind);
    }
}
