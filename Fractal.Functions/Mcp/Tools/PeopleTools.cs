using System.ComponentModel;
using System.Security.Claims;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.People;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>Who can be assigned work, and how much open work each one has.</summary>
[McpServerToolType]
public sealed class PeopleTools
{
    public sealed record PeopleList(IReadOnlyList<PersonWorkload> Items);

    [McpServerTool(Name = "list_people", Title = "List people and workload", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(PeopleList))]
    [Description("Use this when you need assignable people (ids, names) and their open, overdue and due-this-week work orders.")]
    public static async Task<CallToolResult> ListPeople(
        IPeopleService people,
        [Description("One person, by id or name")] string? person = null,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var who = await PersonArguments.ResolveAsync(people, caller, person, "person", assignableOnly: true, cancellationToken);
        if (!who.IsSuccess) return ToolResults.From(who.Error);
        var items = await people.WorkloadAsync(caller.Tenant, who.Value, cancellationToken);
        var summary = items.Count == 0
            ? "No assignable people are listed for this account."
            : $"{items.Count} people (open / overdue / due this week): " + string.Join("; ", items.Select(p => $"{p.Name} ({p.Id}) {p.Open}/{p.Overdue}/{p.DueThisWeek}")) + ".";
        return ToolResults.Ok(new PeopleList(items), summary);
    }
}
