using System.Text.Json;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Search;

namespace Fractal.Functions.Maintenance.Stores.WorkOrders;

/// <summary>
/// The RowKeys of the work-order table (one partition per tenant) and the derived rows of a work order.
/// Index rows end with the inverted number so each index lists newest first. See docs/storage-schema.md.
/// </summary>
internal static class WorkOrderRows
{
    public const string CounterKey = "ctr|wo";

    /// <summary>
    /// The projection <see cref="Project"/> writes. An order's row records the version its derived rows were written
    /// at (<see cref="ProjectionColumn"/>; missing = 1), so a change diffs against the rows that really exist: a
    /// family added later is added by the change, never deleted before it was written (a delete of a missing row
    /// would fail the whole transaction). Version 2 added the subtree index (<see cref="SubtreePrefix"/>: the order under
    /// its asset and every ancestor, newest first) with each asset's open downtime ahead of its orders there
    /// (<see cref="AssetOpenDowntime"/>).
    /// </summary>
    public const int ProjectionVersion = 2;
    public const string ProjectionColumn = "Projection";

    /// <summary>
    /// <see cref="CounterRow.Value"/> = the projection version every order of the tenant is at (missing: unknown,
    /// some may be older). Written with the tenant's first order, by the demo loader and by
    /// <c>manage upgrade-work-orders</c>; readers that need a family added later check it first
    /// (<see cref="WorkOrderProjections"/>).
    /// </summary>
    public const string ProjectionMarkerKey = "ctr|wo-projection";
    public const string HeaderPrefix = "wo|";

    /// <summary>The order's own row (header, tasks, resources in <c>Data</c>; its history in <c>History</c>), newest first.</summary>
    public static string Header(long n) => HeaderPrefix + Keys.Inverted(n);
    public static string NotePrefix(long n) => $"won|{Keys.Number(n)}|";
    public static string Note(long n, int number) => NotePrefix(n) + number.ToString("D6");
    public static string Idempotency(string key) => "idem|" + Keys.Text(key);

    // Index families (prefixes); each row holds the order's summary as JSON. OpenByDue holds orders in process only.
    public const string ByStatus = "x|st|", ByType = "x|ty|", ByPriority = "x|pr|", ByAsset = "x|as|", ByResponsible = "x|re|";
    public const string ByCreated = "x|dc|", ByDue = "x|dd|", ByEnded = "x|de|", OpenByDue = "x|od|", Terms = "x|t|";
    // Downtime intervals (by asset, then start) and the open ones (by asset).
    public const string Downtime = "dt|", OpenDowntime = "x|do|";

    public static string DowntimePrefix(string assetId) => Downtime + assetId + "|";

    /// <summary>
    /// (Projection 2.) Every order of an asset's subtree, newest first: an order has one row here per asset from its
    /// own up to the site (≤ 4), so a location's orders are one prefix in folio order, not grouped by equipment as
    /// under <see cref="ByAsset"/>.
    /// </summary>
    public static string SubtreePrefix(string assetPath) => BySubtree + assetPath + "|";
    public const string BySubtree = "x|au|";

    /// <summary>
    /// (Projection 2.) The asset's own open downtime, first in its <see cref="SubtreePrefix"/> ('!' sorts before the
    /// digits of the orders), so one read returns the asset's open downtime and then its subtree's newest orders
    /// (get_asset). These rows carry an empty <see cref="IndexRow.Ref"/>, which is how an order list over the prefix
    /// leaves them out in storage (<see cref="WorkOrderQueryPlan"/>).
    /// </summary>
    public static string AssetOpenDowntime(string assetPath) => SubtreePrefix(assetPath) + "!do|";

    public static string DateIndex(WorkOrderDateField field) => field switch
    {
        WorkOrderDateField.Created => ByCreated,
        WorkOrderDateField.Due => ByDue,
        WorkOrderDateField.Ended => ByEnded,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>Every derived row of <paramref name="wo"/> at projection <paramref name="version"/>; a pure function of the order.</summary>
    public static List<IndexRow> Project(string partition, WorkOrder wo, int version = ProjectionVersion)
    {
        var inv = Keys.Inverted(wo.Number);
        var folio = wo.Folio;
        var summary = JsonSerializer.Serialize(WorkOrderSummary.From(wo), MaintenanceJson.Default.WorkOrderSummary);
        var rows = new List<IndexRow>(24);
        void Index(string key) => rows.Add(new IndexRow { PartitionKey = partition, RowKey = key, Ref = folio, Data = summary });

        Index($"{ByStatus}{(int)wo.Status}|{inv}");
        Index($"{ByType}{(int)wo.Type}|{inv}");
        Index($"{ByPriority}{wo.Priority}|{inv}");
        Index($"{ByAsset}{wo.AssetPath}|{inv}");
        if (version >= 2)
        {
            foreach (var path in Asset.PathsUpTo(wo.AssetPath)) Index($"{SubtreePrefix(path)}{inv}");
        }
        if (wo.Responsible is { } who) Index($"{ByResponsible}{Keys.Text(who)}|{inv}");
        Index($"{ByCreated}{Keys.Time(wo.CreatedAt)}|{inv}");
        if (wo.DueAt is { } due)
        {
            Index($"{ByDue}{Keys.Time(due)}|{inv}");
            if (wo.Status == WorkOrderStatus.InProcess) Index($"{OpenByDue}{Keys.Time(due)}|{inv}");
        }
        if (wo.EndedAt is { } ended) Index($"{ByEnded}{Keys.Time(ended)}|{inv}");

        foreach (var interval in DowntimeOf(wo))
        {
            var id = $"{Keys.Number(wo.Number)}-{interval.TaskId}";
            var data = JsonSerializer.Serialize(interval, MaintenanceJson.Default.DowntimeInterval);
            rows.Add(new IndexRow { PartitionKey = partition, RowKey = $"{DowntimePrefix(wo.AssetId)}{Keys.Time(interval.Start)}|{id}", Ref = folio, Data = data });
            if (interval.End is not null) continue;
            rows.Add(new IndexRow { PartitionKey = partition, RowKey = $"{OpenDowntime}{wo.AssetId}|{id}", Ref = folio, Data = data });
            if (version >= 2) rows.Add(new IndexRow { PartitionKey = partition, RowKey = AssetOpenDowntime(wo.AssetPath) + id, Ref = "", Data = data });
        }

        var terms = SearchTerms.Build(
            (wo.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), SearchTerms.IdentifierWeight), (wo.Title, SearchTerms.TitleWeight),
            (wo.AssetName, SearchTerms.RelatedWeight), (wo.Description, SearchTerms.TextWeight));
        foreach (var (term, weight) in terms)
            rows.Add(new IndexRow { PartitionKey = partition, RowKey = $"{Terms}{term}|{inv}", Ref = folio, Data = wo.Title, Weight = weight });
        return rows;
    }

    /// <summary>The asset's out-of-service intervals recorded on the order's tasks.</summary>
    public static IEnumerable<DowntimeInterval> DowntimeOf(WorkOrder wo) =>
        wo.Tasks.Where(t => t.OutOfServiceStart is not null)
            .Select(t => new DowntimeInterval(wo.AssetId, t.OutOfServiceStart!.Value, t.OutOfServiceEnd, wo.Folio, t.Id, t.Failure is not null));
}
