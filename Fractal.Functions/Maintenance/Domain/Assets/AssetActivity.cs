using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Maintenance.Domain.Assets;

/// <summary>An asset's open downtime and its subtree's first work orders (what get_asset shows beside the asset).</summary>
public sealed record AssetActivity(IReadOnlyList<DowntimeInterval> OpenDowntime, IReadOnlyList<WorkOrderSummary> RecentWorkOrders);
