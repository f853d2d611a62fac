using System.ComponentModel;
using System.Security.Claims;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Mcp.Apps;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>Read tools over work orders.</summary>
[McpServerToolType]
public sealed class WorkOrderTools
{
    public sealed record WorkOrderList(IReadOnlyList<WorkOrderSummary> Items, string? NextCursor);

    [McpServerTool(Name = "list_work_orders", Title = "List work orders", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(WorkOrderList))]
    [Description("Use this when you need work orders by status, type, priority, asset subtree, responsible, dates or overdue; newest first, paged.")]
    public static async Task<CallToolResult> ListWorkOrders(
        IWorkOrderService workOrders, IPeopleService people, ITenantSettingsService settings, TimeProvider time,
        [Description("in_process, in_review, completed or cancelled")] string? status = null,
        [Description("preventive, inspection, corrective or emergency")] string? type = null,
        [Description("1 (very high) to 5 (very low)")] int? priority = null,
        [Description("Asset or location id, and all below it")] string? asset_id = null,
        [Description("Responsible person: id or name")] string? responsible = null,
        [Description("Date the range applies to: created (default), due or ended")] string? date_field = null,
        [Description("Range start: yyyy-mm-dd (plant day) or date-time")] string? from = null,
        [Description("Range end (exclusive), same format")] string? to = null,
        [Description(TenantTime.PeriodHelp)] string? period = null,
        [Description("Only open orders past their due date")] bool overdue_only = false,
        [Description("1-100, default 25")] int? page_size = null,
        [Description("Previous page's next_cursor")] string? cursor = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        if (priority is < 1 or > 5) throw ToolArguments.Invalid("priority must be between 1 and 5.");
        var caller = McpCaller.From(user)!;
        var who = await PersonArguments.ResolveAsync(people, caller, responsible, "responsible", assignableOnly: false, cancellationToken);
        if (!who.IsSuccess) return ToolResults.From(who.Error);
        var local = await TenantTime.ForAsync(settings, time, caller.Tenant, cancellationToken);
        var (fromAt, toAt) = local.Range(from, to, period);
        // A range names a date: without date_field it would filter nothing, so it is the creation (the due date when overdue).
        if ((fromAt ?? toAt) is not null && date_field is null) date_field = overdue_only ? "due" : "created";
        var query = new WorkOrderQuery
        {
            Status = ToolArguments.Enum<WorkOrderStatus>(status, "status"),
            Type = ToolArguments.Enum<WorkOrderType>(type, "type"),
            Priority = priority,
            AssetId = asset_id,
            Responsible = who.Value,
            DateField = ToolArguments.Enum<WorkOrderDateField>(date_field, "date_field"),
            From = fromAt,
            To = toAt,
            OverdueOnly = overdue_only,
        };
        var result = await workOrders.ListAsync(caller.Tenant, query, new PageRequest(ToolArguments.PageSize(page_size), cursor), cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var page = result.Value;
        var summary = page.Items.Count == 0
            ? "No work orders match."
            : $"{page.Items.Count} work orders: " + string.Join("; ", page.Items.Take(10).Select(w => $"{w.Folio} {w.Title} ({w.Status})"))
              + (page.NextCursor is null ? "." : ". More pages: pass next_cursor as cursor.");
        return ToolResults.Ok(new WorkOrderList(page.Items, page.NextCursor), summary);
    }

    [McpServerTool(Name = "get_work_order", Title = "Get a work order", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(WorkOrderDetails))]
    [Description("Use this when you need one work order's header, tasks, resources, costs, notes and status history.")]
    public static async Task<CallToolResult> GetWorkOrder(
        IWorkOrderService workOrders, IPeopleService people, ITenantSettingsService settings, TimeProvider time,
        [Description("Folio (OT-1496)")] string folio,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var result = await workOrders.GetAsync(caller.Tenant, ToolArguments.Text(folio, "folio", 40), cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var order = result.Value.Order;
        var responsible = order.Responsible is null ? "" : $", responsible {PersonNames.Show(await people.NamesAsync(caller.Tenant, cancellationToken), order.Responsible)}";
        return ToolResults.Ok(result.Value, $"{order.Folio}: {order.Title} — {order.Status}, priority {order.Priority}{responsible}, {result.Value.Notes.Count} notes.",
            WorkOrderCard.MetaKey, WorkOrderCard.From(result.Value, caller, await TenantTime.ForAsync(settings, time, caller.Tenant, cancellationToken)));
    }
}
