using Azure.Data.Tables;
using Fractal.Functions.Maintenance.Kpis;
using Fractal.Functions.Maintenance.Stores.WorkOrders;

namespace Fractal.Functions.Tests.Maintenance;

/// <summary>The rows of a tenant's work-order partition that some order's projection (<see cref="WorkOrderRows.Project"/>) wrote.</summary>
internal static class StoredProjections
{
    /// <summary>
    /// The x| index families and the downtime rows, by RowKey with their Ref and Data; not the open-work rollup, which
    /// shares the x| space (keyed beside the open downtime) but is no single order's projection.
    /// </summary>
    public static Dictionary<string, (string? Ref, string? Data)> Of(IEnumerable<TableEntity> partition) =>
        partition.Where(r => (r.RowKey.StartsWith("x|", StringComparison.Ordinal) && r.RowKey != KpiRollups.OpenKey)
                             || r.RowKey.StartsWith(WorkOrderRows.Downtime, StringComparison.Ordinal))
            .ToDictionary(r => r.RowKey, r => ((string?)r.GetString("Ref"), (string?)r.GetString("Data")));
}
