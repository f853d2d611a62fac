using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Maintenance.Stores.WorkOrders;

/// <summary>
/// Adds rows of the work-order partition that summarise orders (the KPI day rollups) to the same
/// transaction as the order's own change, so a summary never disagrees with the orders it counts.
/// </summary>
internal interface IWorkOrderDerivedWriter
{
    /// <summary>Actions for the change <paramref name="before"/> (null on creation) → <paramref name="after"/>.</summary>
    Task<IReadOnlyList<TableTransactionAction>> ActionsAsync(TenantId tenant, WorkOrder? before, WorkOrder after, CancellationToken ct);
}
