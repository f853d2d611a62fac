using System.ComponentModel;
using System.Security.Claims;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Requests;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>Read tools over service requests.</summary>
[McpServerToolType]
public sealed class RequestTools
{
    public sealed record RequestList(IReadOnlyList<RequestSummary> Items, string? NextCursor);

    [McpServerTool(Name = "list_requests", Title = "List service requests", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(RequestList))]
    [Description("Use this when you need service requests (reported problems) by status or urgency; newest first, paged.")]
    public static async Task<CallToolResult> ListRequests(
        IRequestService requests,
        [Description("open, in_process, work_order_in_process, resolved_without_work_order, cancelled, resolved_with_work_order or rejected")] string? status = null,
        [Description("Only urgent (true) or not (false)")] bool? urgent = null,
        [Description("1-100, default 25")] int? page_size = null,
        [Description("Previous page's next_cursor")] string? cursor = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var query = new RequestQuery(ToolArguments.Enum<RequestStatus>(status, "status"), urgent);
        var result = await requests.ListAsync(caller.Tenant, query, new PageRequest(ToolArguments.PageSize(page_size), cursor), cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var page = result.Value;
        var summary = page.Items.Count == 0
            ? "No requests match."
            : $"{page.Items.Count} requests: " + string.Join("; ", page.Items.Take(10).Select(r => $"{r.Id} {r.Title} ({r.Status.Code()})"))
              + (page.NextCursor is null ? "." : ". More pages: pass next_cursor as cursor.");
        return ToolResults.Ok(new RequestList(page.Items, page.NextCursor), summary);
    }
}
