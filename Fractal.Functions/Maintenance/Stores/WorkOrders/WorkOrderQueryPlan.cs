using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores.WorkOrders;

/// <summary>
/// Picks the one index range a work-order list reads, then keeps the rows matching every other filter
/// (index rows carry the summary, so this costs no extra reads). Index chosen, first that applies:
/// overdue → in-process-by-due up to now; date range → that date's index; responsible; asset subtree (newest first once
/// the tenant is at projection 2);
/// priority; type; status; otherwise the order rows themselves (keyed newest first). Documented in docs/storage-schema.md.
/// </summary>
internal static class WorkOrderQueryPlan
{
    /// <summary>The subtree index also holds each asset's open downtime (<see cref="WorkOrderRows.AssetOpenDowntime"/>, empty Ref): not orders.</summary>
    private static readonly string OrdersOnly = Azure.Data.Tables.TableClient.CreateQueryFilter($"Ref ne {""}");

    /// <param name="subtreeIndex">Every order of the tenant has its subtree-index rows (projection 2): an asset subtree
    /// lists newest first from <see cref="WorkOrderRows.SubtreePrefix"/>; otherwise from <see cref="WorkOrderRows.ByAsset"/>,
    /// grouped by asset path.</param>
    public static RangeQuery Choose(string partition, WorkOrderQuery q, string? assetPath, DateTimeOffset now, bool subtreeIndex = true)
    {
        const string table = TableNames.WorkOrders;
        if (q.OverdueOnly)
        {
            var upper = q.DateField == WorkOrderDateField.Due && q.To is { } to && to < now ? to : now;
            var lower = q.DateField == WorkOrderDateField.Due && q.From is { } from ? WorkOrderRows.OpenByDue + Keys.Time(from) : WorkOrderRows.OpenByDue;
            return new RangeQuery(table, partition, lower, WorkOrderRows.OpenByDue + Keys.Time(upper) + "|\uffff");
        }
        if (q.DateField is { } field && (q.From is not null || q.To is not null))
        {
            var prefix = WorkOrderRows.DateIndex(field);
            var lower = q.From is { } from ? prefix + Keys.Time(from) : prefix;
            var upper = q.To is { } to ? prefix + Keys.Time(to) + "|\uffff" : Keys.After(prefix);
            return new RangeQuery(table, partition, lower, upper);
        }
        if (q.Responsible is { } who) return RangeQuery.Prefix(table, partition, $"{WorkOrderRows.ByResponsible}{Keys.Text(who)}|");
        if (assetPath is not null)
        {
            return subtreeIndex
                ? RangeQuery.Prefix(table, partition, WorkOrderRows.SubtreePrefix(assetPath)) with { Where = OrdersOnly }
                : RangeQuery.Prefix(table, partition, WorkOrderRows.ByAsset + assetPath);
        }
        if (q.Priority is { } p) return RangeQuery.Prefix(table, partition, $"{WorkOrderRows.ByPriority}{p}|");
        if (q.Type is { } type) return RangeQuery.Prefix(table, partition, $"{WorkOrderRows.ByType}{(int)type}|");
        if (q.Status is { } status) return RangeQuery.Prefix(table, partition, $"{WorkOrderRows.ByStatus}{(int)status}|");
        return RangeQuery.Prefix(table, partition, WorkOrderRows.HeaderPrefix);
    }

    /// <summary>Every filter, exactly (the index range is only a superset at second granularity).</summary>
    public static bool Matches(WorkOrderSummary s, WorkOrderQuery q, string? assetPath, DateTimeOffset now)
    {
        if (q.Status is { } status && s.Status != status) return false;
        if (q.Type is { } type && s.Type != type) return false;
        if (q.Priority is { } p && s.Priority != p) return false;
        if (assetPath is not null && !s.AssetPath.StartsWith(assetPath, StringComparison.Ordinal)) return false;
        if (q.Responsible is { } who && (s.Responsible is null || Keys.Text(s.Responsible) != Keys.Text(who))) return false;
        if (q.OverdueOnly && !s.IsOverdue(now)) return false;
        if (q.DateField is { } field && (q.From is not null || q.To is not null))
        {
            var date = field switch
            {
                WorkOrderDateField.Created => s.CreatedAt,
                WorkOrderDateField.Due => s.DueAt,
                _ => s.EndedAt,
            };
            if (date is null || (q.From is { } from && date < from) || (q.To is { } to && date >= to)) return false;
        }
        return true;
    }
}
