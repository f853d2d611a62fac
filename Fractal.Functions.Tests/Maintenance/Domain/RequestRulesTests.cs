using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Requests;

using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Maintenance.Domain;

public sealed class RequestRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static ServiceRequest Request(RequestStatus status) => new()
    {
        Number = 4, Title = "Fuga de aire", Requester = "operador", Status = status, CreatedAt = T0, UpdatedAt = T0, UpdatedBy = "operador",
        Revision = 1, WorkOrderFolio = status is RequestStatus.WorkOrderInProcess or RequestStatus.ResolvedWithWorkOrder ? "OT-9" : null,
    };

    private static readonly (RequestStatus From, RequestStatus To)[] Allowed =
    [
        (RequestStatus.Open, RequestStatus.InProcess), (RequestStatus.Open, RequestStatus.WorkOrderInProcess),
        (RequestStatus.Open, RequestStatus.ResolvedWithoutWorkOrder), (RequestStatus.Open, RequestStatus.Cancelled),
        (RequestStatus.Open, RequestStatus.Rejected),
        (RequestStatus.InProcess, RequestStatus.WorkOrderInProcess), (RequestStatus.InProcess, RequestStatus.ResolvedWithoutWorkOrder),
        (RequestStatus.InProcess, RequestStatus.Cancelled), (RequestStatus.InProcess, RequestStatus.Rejected),
        (RequestStatus.WorkOrderInProcess, RequestStatus.ResolvedWithWorkOrder), (RequestStatus.WorkOrderInProcess, RequestStatus.InProcess),
    ];

    public static TheoryData<RequestStatus, RequestStatus> AllowedTransitions() => Theory.Data(Allowed.Select(a => (a.From, a.To)));

    public static TheoryData<RequestStatus, RequestStatus> RefusedTransitions() =>
        Theory.Data(from s in Enum.GetValues<RequestStatus>() from t in Enum.GetValues<RequestStatus>() where !Allowed.Contains((s, t)) select (s, t));

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void An_allowed_request_transition_records_who_when_and_from_where(RequestStatus from, RequestStatus to)
    {
        var result = RequestRules.Transition(Request(from), to, "supervisor", T0.AddHours(1), "motivo", "OT-9");

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(to, result.Value.Status);
        Assert.Equal(new RequestHistoryEntry(T0.AddHours(1), "supervisor", from, to, "motivo"), result.Value.History[^1]);
    }

    [Theory]
    [MemberData(nameof(RefusedTransitions))]
    public void A_refused_request_transition_is_a_typed_domain_error(RequestStatus from, RequestStatus to)
    {
        var result = RequestRules.Transition(Request(from), to, "supervisor", T0, "motivo", "OT-9");

        Assert.Equal("maintenance.request.transition_refused", result.Error!.Code);
        Assert.Equal(DomainErrorKind.Refused, result.Error.Kind);
    }

    [Fact]
    public void Rejecting_or_cancelling_needs_a_reason_and_approving_into_a_work_order_needs_its_folio()
    {
        Assert.Equal(DomainErrorKind.Invalid, RequestRules.Transition(Request(RequestStatus.Open), RequestStatus.Rejected, "s", T0).Error!.Kind);
        Assert.Equal(DomainErrorKind.Invalid, RequestRules.Transition(Request(RequestStatus.Open), RequestStatus.Cancelled, "s", T0, " ").Error!.Kind);
        Assert.Equal("maintenance.request.work_order_required",
            RequestRules.Transition(Request(RequestStatus.Open), RequestStatus.WorkOrderInProcess, "s", T0).Error!.Code);
    }
}
