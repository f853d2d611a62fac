using System.Text.Json;
using Fractal.Functions.Maintenance.Domain.Plans;
using Fractal.Functions.Maintenance.Search;

namespace Fractal.Functions.Maintenance.Stores.Plans;

/// <summary>RowKeys of the plan table (one partition per tenant): plans, pending tasks and their indexes.</summary>
internal static class PlanRows
{
    public const string PlanPrefix = "pl|", PendingPrefix = "pt|", ByDue = "x|due|", ByMeter = "x|mt|";

    public static string Plan(string id) => PlanPrefix + id;
    public static string Pending(string id) => PendingPrefix + id;

    public static IndexRow EncodePlan(string partition, PreventivePlan plan) =>
        new() { PartitionKey = partition, RowKey = Plan(plan.Id), Ref = plan.Id, Data = JsonSerializer.Serialize(plan, MaintenanceJson.Default.PreventivePlan) };

    public static List<IndexRow> ProjectPlan(string partition, PreventivePlan plan) =>
        SearchTerms.Build((plan.Id, SearchTerms.IdentifierWeight), (plan.Name, SearchTerms.TitleWeight), (plan.Description, SearchTerms.TextWeight),
                (string.Join(' ', plan.Tasks.Select(t => t.Description)), SearchTerms.TextWeight))
            .Select(t => new IndexRow { PartitionKey = partition, RowKey = $"{TermIndexReader.Prefix}{t.Key}|{plan.Id}", Ref = plan.Id, Data = plan.Name, Weight = t.Value })
            .ToList();

    public static IndexRow EncodePending(string partition, PendingTask task) =>
        new() { PartitionKey = partition, RowKey = Pending(task.Id), Ref = task.Id, Data = JsonSerializer.Serialize(task, MaintenanceJson.Default.PendingTask) };

    /// <summary>By calculated due date when it has one; by meter when a meter triggers it.</summary>
    public static List<IndexRow> ProjectPending(string partition, PendingTask task)
    {
        var data = JsonSerializer.Serialize(task, MaintenanceJson.Default.PendingTask);
        var rows = new List<IndexRow>(2);
        if (task.CalculatedDueAt is { } due) rows.Add(new IndexRow { PartitionKey = partition, RowKey = $"{ByDue}{Keys.Time(due)}|{task.Id}", Ref = task.Id, Data = data });
        if (task.MeterId is { } meter) rows.Add(new IndexRow { PartitionKey = partition, RowKey = $"{ByMeter}{meter}|{task.Id}", Ref = task.Id, Data = data });
        return rows;
    }
}
