namespace Fractal.Functions.Maintenance.Domain.WorkOrders;

/// <summary>Work-order status, numbered as in the Fracttal API.</summary>
public enum WorkOrderStatus
{
    /// <summary>"En proceso": open, work pending or under way.</summary>
    InProcess = 1,
    /// <summary>"En revisión": work done, waiting for a supervisor's approval.</summary>
    InReview = 2,
    /// <summary>"Finalizada": approved; immutable from then on.</summary>
    Completed = 3,
    /// <summary>"Cancelada": closed without doing the work, with a reason.</summary>
    Cancelled = 4,
}

public enum WorkOrderType
{
    Preventive = 1,
    /// <summary>Predictive maintenance / inspection.</summary>
    Inspection = 2,
    Corrective = 3,
    Emergency = 4,
}

public enum ResourceKind
{
    Part = 1,
    Labour = 2,
    Service = 3,
}

public static class WorkOrderEnumExtensions
{
    public static bool IsOpen(this WorkOrderStatus status) => status is WorkOrderStatus.InProcess or WorkOrderStatus.InReview;

    /// <summary>Planned maintenance (PM + PdM), as opposed to corrective and emergency work.</summary>
    public static bool IsPlanned(this WorkOrderType type) => type is WorkOrderType.Preventive or WorkOrderType.Inspection;

    public static string Code(this WorkOrderStatus status) => status switch
    {
        WorkOrderStatus.InProcess => "in_process",
        WorkOrderStatus.InReview => "in_review",
        WorkOrderStatus.Completed => "completed",
        WorkOrderStatus.Cancelled => "cancelled",
        _ => status.ToString(),
    };

    public static string Code(this WorkOrderType type) => type switch
    {
        WorkOrderType.Preventive => "preventive",
        WorkOrderType.Inspection => "inspection",
        WorkOrderType.Corrective => "corrective",
        WorkOrderType.Emergency => "emergency",
        _ => type.ToString(),
    };
}
