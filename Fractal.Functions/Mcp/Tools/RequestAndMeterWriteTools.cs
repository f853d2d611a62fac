using System.ComponentModel;
using System.Globalization;
using System.Security.Claims;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.Meters;
using Fractal.Functions.Maintenance.Domain.Requests;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>Write tools over service requests and meters.</summary>
[McpServerToolType]
public sealed class RequestAndMeterWriteTools
{
    private const string KeyHelp = "Retry key (replays the first result)";
    public const string CreateWorkRequestTool = "create_work_request";

    [McpServerTool(Name = CreateWorkRequestTool, Title = "Report a problem", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ServiceRequest))]
    [Description("Use this when someone reports a problem or asks for maintenance: creates an open service request.")]
    public static async Task<CallToolResult> CreateWorkRequest(
        IRequestService requests, UserPermissions permissions,
        [Description("Short title (≤ 200 chars)")] string title,
        [Description("Details")] string? description = null,
        [Description("Asset or location id, when known")] string? asset_id = null,
        [Description("True when it is urgent")] bool urgent = false,
        [Description(KeyHelp)] string? idempotency_key = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var requester = (await permissions.GetAsync(caller.Tenant, caller.UserId, cancellationToken)).Email;
        var result = await requests.CreateAsync(caller.Tenant, new NewServiceRequest(ToolArguments.Text(title, "title"), requester, description, asset_id, urgent),
            IdempotentCalls.ScopedKeyOrNull(caller, CreateWorkRequestTool, idempotency_key), cancellationToken);
        return result.IsSuccess ? ToolResults.Ok(result.Value, $"Request {result.Value.Id} opened: {result.Value.Title}.") : ToolResults.From(result.Error);
    }

    [McpServerTool(Name = "update_request_status", Title = "Approve, resolve, cancel or reject a request", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ServiceRequest))]
    [Description("Use this when a service request must move on (cancelled and rejected need a reason).")]
    public static async Task<CallToolResult> UpdateRequestStatus(
        IRequestService requests,
        [Description("Request id")] string request_id,
        [Description("in_process, resolved_without_work_order, cancelled or rejected")] string status,
        [Description("Reason (to cancel or reject)")] string? reason = null,
        [Description(KeyHelp)] string? idempotency_key = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var to = ToolArguments.Enum<RequestStatus>(status, "status") ?? throw ToolArguments.Invalid("status is required.");
        var result = await requests.TransitionAsync(caller.Tenant, new RequestEdit(ToolArguments.Text(request_id, "request_id", 60), caller.UserId), to, reason, ct: cancellationToken);
        return result.IsSuccess ? ToolResults.Ok(result.Value, $"Request {result.Value.Id} is {result.Value.Status}.") : ToolResults.From(result.Error);
    }

    public sealed record ReadingResult(Meter Meter, IReadOnlyList<string> TriggeredPendingTaskIds);

    [McpServerTool(Name = "record_meter_reading", Title = "Record a meter reading", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ReadingResult))]
    [Description("Use this when a meter (hours, cycles, pressure…) was read; says which preventive tasks the reading made due.")]
    public static async Task<CallToolResult> RecordMeterReading(
        IMeterService meters, ITenantSettingsService settings, TimeProvider time,
        [Description("Meter id, as list_meters shows")] string meter_id,
        [Description("The reading")] double value,
        [Description("When read, date-time (plant time); default now")] string? read_at = null,
        [Description(KeyHelp)] string? idempotency_key = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) throw ToolArguments.Invalid("value must be a number.");
        var caller = McpCaller.From(user)!;
        var local = await TenantTime.ForAsync(settings, time, caller.Tenant, cancellationToken);
        var result = await meters.RecordReadingAsync(caller.Tenant, ToolArguments.Text(meter_id, "meter_id", 60), value, caller.UserId, local.Instant(read_at, "read_at"), cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var (meter, triggered) = (result.Value.Meter, result.Value.TriggeredPendingTaskIds);
        var recorded = $"Recorded {meter.LastValue!.Value.ToString("0.####", CultureInfo.InvariantCulture)} {meter.Unit} on {meter.Id}";
        return ToolResults.Ok(new ReadingResult(meter, triggered),
            triggered.Count == 0 ? $"{recorded}; no preventive task became due."
                                 : $"{recorded}; it made these preventive tasks due: {string.Join(", ", triggered)}.");
    }
}
