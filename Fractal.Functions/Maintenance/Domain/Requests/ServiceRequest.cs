namespace Fractal.Functions.Maintenance.Domain.Requests;

/// <summary>Service-request status, numbered as in the Fracttal API.</summary>
public enum RequestStatus
{
    Open = 1,
    InProcess = 2,
    /// <summary>A work order was created for it and is under way.</summary>
    WorkOrderInProcess = 3,
    ResolvedWithoutWorkOrder = 4,
    Cancelled = 5,
    ResolvedWithWorkOrder = 6,
    Rejected = 12,
}

public sealed record RequestHistoryEntry(DateTimeOffset At, string UserId, RequestStatus? From, RequestStatus To, string? Detail);

/// <summary>A service request ("solicitud"): someone reports a problem; a supervisor approves, resolves or rejects it.</summary>
public sealed record ServiceRequest
{
    public const int MaxHistory = 50;

    public required long Number { get; init; }
    public string Id => FormatId(Number);
    public required string Title { get; init; }
    public string? Description { get; init; }
    public string? AssetId { get; init; }
    public string? AssetName { get; init; }
    public required string Requester { get; init; }
    public bool Urgent { get; init; }
    public required RequestStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? WorkOrderFolio { get; init; }
    public string? Resolution { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required string UpdatedBy { get; init; }
    public int Revision { get; init; }
    public IReadOnlyList<RequestHistoryEntry> History { get; init; } = [];

    public static string FormatId(long number) => $"SR-{number}";

    public static bool TryParseId(string? id, out long number)
    {
        number = 0;
        if (string.IsNullOrWhiteSpace(id)) return false;
        var text = id.Trim();
        if (text.StartsWith("SR-", StringComparison.OrdinalIgnoreCase)) text = text[3..];
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number) && number > 0;
    }
}

public sealed record NewServiceRequest(string Title, string Requester, string? Description = null, string? AssetId = null, bool Urgent = false);

public static class RequestStatusExtensions
{
    public static bool IsFinal(this RequestStatus s) =>
        s is RequestStatus.ResolvedWithoutWorkOrder or RequestStatus.Cancelled or RequestStatus.ResolvedWithWorkOrder or RequestStatus.Rejected;

    public static string Code(this RequestStatus s) => s switch
    {
        RequestStatus.Open => "open",
        RequestStatus.InProcess => "in_process",
        RequestStatus.WorkOrderInProcess => "wo_in_process",
        RequestStatus.ResolvedWithoutWorkOrder => "resolved_without_wo",
        RequestStatus.Cancelled => "cancelled",
        RequestStatus.ResolvedWithWorkOrder => "resolved_with_wo",
        RequestStatus.Rejected => "rejected",
        _ => s.ToString(),
    };
}
