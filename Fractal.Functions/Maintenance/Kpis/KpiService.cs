using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Maintenance.Stores.Assets;
using Fractal.Functions.Maintenance.Stores.WorkOrders;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Kpis;

/// <summary>
/// <see cref="IKpiService"/>: takes the scope from the tenant's asset catalogue (<see cref="AssetCatalogue"/>, no
/// round trip on a warm instance), reads the month rollups of the period as one range and the open downtime (with
/// the open-work row and the overdue index when asked for) as one range, then computes with
/// <see cref="KpiCalculator"/>. No order is read one by one, whatever the size of the plant: two storage round
/// trips on a warm instance.
/// </summary>
internal sealed class KpiService(TableStore tables, AssetService assets, AssetCatalogue catalogue, ITenantSettingsService settings, TimeProvider time) : IKpiService
{
    private const int MaxPeriodDays = 366 * 5;

    public async Task<DomainResult<KpiReport>> ComputeAsync(TenantId tenant, KpiRequest request, CancellationToken ct = default)
    {
        var reports = await ComputeAllAsync(tenant, [request], ct).ConfigureAwait(false);
        return reports.IsSuccess ? reports.Value[0] : reports.Error;
    }

    public async Task<DomainResult<IReadOnlyList<KpiReport>>> ComputeAllAsync(TenantId tenant, IReadOnlyList<KpiRequest> requests, CancellationToken ct = default)
    {
        if (requests.Count == 0) return Array.Empty<KpiReport>();
        foreach (var request in requests)
        {
            if (request.Kpis.Count == 0) return MaintenanceErrors.Invalid("kpis", "name at least one KPI.");
            if (request.FirstTimeFixWindowDays is < 1 or > 365) return MaintenanceErrors.Invalid("firstTimeFixWindowDays", "1 to 365.");
            if (request.To <= request.From) return MaintenanceErrors.Invalid("to", "must be after from.");
            if (request.ScopeAssetId != requests[0].ScopeAssetId || request.AsOf != requests[0].AsOf)
                throw new ArgumentException("Reports computed together share their scope and as-of.", nameof(requests));
        }
        var span = new Span(requests.Min(r => r.From), requests.Max(r => r.To), requests.Max(r => r.FirstTimeFixWindowDays),
            ReadOverdue: requests.Any(r => r.Kpis.Contains(KpiKind.OverdueWorkOrders)), ReadOpen: requests.Any(r => r.Kpis.Contains(KpiKind.BacklogWeeks)));
        var loaded = await LoadAsync(tenant, span, requests[0].ScopeAssetId, requests[0].AsOf, ct).ConfigureAwait(false);
        if (!loaded.IsSuccess) return loaded.Error;
        return requests.Select(r => Compute(r, loaded.Value)).ToList();
    }

    private static KpiReport Compute(KpiRequest request, Loaded loaded)
    {
        var (calculator, scope, asOf, zone) = loaded;
        var results = new List<KpiResult>();
        foreach (var kind in WithBothMtbfViews(request.Kpis))
        {
            var snapshot = kind is KpiKind.BacklogWeeks or KpiKind.OverdueWorkOrders;
            switch (request.GroupBy)
            {
                case KpiGrouping.Month when !snapshot:
                    for (var month = KpiRollups.MonthOf(request.From); month < request.To; month = month.AddMonths(1))
                    {
                        var from = month < request.From ? request.From : month;
                        var to = month.AddMonths(1) > request.To ? request.To : month.AddMonths(1);
                        results.Add(calculator.Compute(kind, from, to, scope.Keys.ToList(), month.ToString("yyyy-MM", CultureInfo.InvariantCulture), request.Grace, request.FirstTimeFixWindowDays));
                    }
                    break;
                case KpiGrouping.Asset:
                    foreach (var asset in Equipment(scope))
                        results.Add(calculator.Compute(kind, request.From, request.To, [asset], asset, request.Grace, request.FirstTimeFixWindowDays));
                    break;
                default:
                    results.Add(calculator.Compute(kind, request.From, request.To, scope.Keys.ToList(), null, request.Grace, request.FirstTimeFixWindowDays));
                    break;
            }
        }
        return new KpiReport(request.From, request.To, request.ScopeAssetId, asOf, zone, results);
    }

    /// <summary>MTBF always comes as both views, fleet and line, so neither is read without the other (docs/kpis.md).</summary>
    private static IEnumerable<KpiKind> WithBothMtbfViews(IEnumerable<KpiKind> kinds)
    {
        var seen = new HashSet<KpiKind>();
        foreach (var kind in kinds)
        {
            if (kind is KpiKind.Mtbf or KpiKind.MtbfLine)
            {
                if (seen.Add(KpiKind.Mtbf)) yield return KpiKind.Mtbf;
                if (seen.Add(KpiKind.MtbfLine)) yield return KpiKind.MtbfLine;
            }
            else if (seen.Add(kind)) yield return kind;
        }
    }

    public async Task<DomainResult<IReadOnlyList<BadActor>>> RankBadActorsAsync(TenantId tenant, BadActorRequest request, CancellationToken ct = default)
    {
        if (request.Top is < 1 or > 100) return MaintenanceErrors.Invalid("top", "1 to 100.");
        var loaded = await LoadAsync(tenant, new Span(request.From, request.To, 1, ReadOverdue: false, ReadOpen: false), request.ScopeAssetId, request.AsOf, ct).ConfigureAwait(false);
        if (!loaded.IsSuccess) return loaded.Error;
        var (calculator, scope, _, _) = loaded.Value;
        var ranked = Equipment(scope).Select(id =>
            {
                var failures = calculator.Sum(request.From, request.To, [id], f => f.Failures);
                var downtime = Math.Round(calculator.Downtime(request.From, request.To, [id]) / 3600.0, 4);
                var cost = calculator.SumMoney(request.From, request.To, [id], f => f.CostParts + f.CostLabour + f.CostServices);
                var value = request.By switch { BadActorMeasure.Failures => failures, BadActorMeasure.DowntimeHours => downtime, _ => (double)cost };
                return new BadActor(id, scope[id].Name, value, failures, downtime, cost);
            })
            .OrderByDescending(b => b.Value).ThenBy(b => b.AssetId, StringComparer.Ordinal).Take(request.Top).ToList();
        return ranked;
    }

    private static IEnumerable<string> Equipment(IReadOnlyDictionary<string, Asset> scope) =>
        scope.Values.Where(a => a.Level == AssetLevel.Equipment).Select(a => a.Id).Order(StringComparer.Ordinal);

    /// <summary>What one load covers: local dates [From, To) plus the first-time-fix window, and the optional rows.</summary>
    private sealed record Span(DateOnly From, DateOnly To, int WindowDays, bool ReadOverdue, bool ReadOpen);

    private sealed record Loaded(KpiCalculator Calculator, IReadOnlyDictionary<string, Asset> Scope, DateTimeOffset AsOf, string Zone);

    private async Task<DomainResult<Loaded>> LoadAsync(TenantId tenant, Span span, string? scopeAssetId, DateTimeOffset? asOf, CancellationToken ct)
    {
        if (span.To <= span.From) return MaintenanceErrors.Invalid("to", "must be after from.");
        if (span.To.DayNumber - span.From.DayNumber > MaxPeriodDays) return MaintenanceErrors.Invalid("period", "at most five years.");
        var s = await settings.GetAsync(tenant, ct).ConfigureAwait(false);
        var clock = s.Clock();
        var now = asOf ?? time.GetUtcNow();
        var rootPath = "";
        if (scopeAssetId is not null)
        {
            if (await assets.FindAsync(tenant, scopeAssetId, ct).ConfigureAwait(false) is not { } root) return MaintenanceErrors.NotFound("asset", scopeAssetId);
            rootPath = root.Path;
        }
        var pk = tenant.Value;
        var copy = catalogue.GetAsync(tenant, ct);
        var work = ReadWorkOrderRowsAsync(pk, span, now, ct);

        var catalogueRead = await copy.ConfigureAwait(false);
        var (months, open, overdue, openDowntime) = await work.ConfigureAwait(false);
        // A rollup naming an asset this process's copy lacks: the asset was created on another instance since the
        // copy was read. Read the catalogue again (one more round trip, only then) rather than drop its facts.
        if (catalogueRead is { FromCache: true } && NamesUnknownAsset(catalogueRead, months, open, overdue, openDowntime))
            catalogueRead = await catalogue.ReadAsync(tenant, ct).ConfigureAwait(false);
        var scopeAssets = catalogueRead is not null
            ? catalogueRead.Subtree(rootPath)
            : (await tables.ReadPrefixAsync<IndexRow>(TableNames.Assets, pk, AssetRows.ByPath + rootPath, 100_000, ct).ConfigureAwait(false))
                .Select(r => JsonSerializer.Deserialize(r.Data!, MaintenanceJson.Default.Asset)!);
        var scope = scopeAssets.ToDictionary(a => a.Id, StringComparer.Ordinal);

        var data = KpiData.From(scope, months, open, overdue, openDowntime);
        return new Loaded(new KpiCalculator(data, clock, s.Calendar, s.CrewCapacityHoursPerWeek, now), scope, now, s.TimeZoneId);
    }

    /// <summary>
    /// The work-order rows a KPI set needs, as two RowKey ranges of the tenant's partition read concurrently:
    /// <list type="bullet">
    /// <item>the month rollups of the span, <c>kpi|m|{first}</c> .. <c>kpi|m|{last}</c>;</item>
    /// <item>the open-work row (<see cref="KpiRollups.OpenKey"/>, when backlog is asked for), the open downtime
    /// <c>x|do|</c> right after it, and up to <c>x|od|{as-of}</c> the overdue orders (when asked for): no other row
    /// family sorts between those parts (see <see cref="WorkOrderRows"/>; a test checks it).</item>
    /// </list>
    /// A tenant whose open-work row is still under its legacy key costs one more point read until its next change moves it.
    /// </summary>
    private async Task<(List<(DateOnly, SortedDictionary<string, SortedDictionary<int, DayFacts>>)> Months, IReadOnlyDictionary<string, OpenFacts> Open,
        List<WorkOrderSummary> Overdue, List<DowntimeInterval> OpenDowntime)> ReadWorkOrderRowsAsync(string pk, Span span, DateTimeOffset now, CancellationToken ct)
    {
        var first = KpiRollups.MonthOf(span.From);
        var last = KpiRollups.MonthOf(span.To.AddDays(span.WindowDays));
        var monthRows = tables.ReadRangeAsync<TableEntity>(TableNames.WorkOrders, pk, KpiRollups.MonthKey(first), Keys.After(KpiRollups.MonthKey(last)), 1000, ct);
        // The overdue index can be long (every order in process past its date); read it only when asked for.
        var openWork = tables.ReadRangeAsync<TableEntity>(TableNames.WorkOrders, pk, span.ReadOpen ? KpiRollups.OpenKey : WorkOrderRows.OpenDowntime,
            span.ReadOverdue ? WorkOrderRows.OpenByDue + Keys.Time(now) + "|\uffff" : Keys.After(WorkOrderRows.OpenDowntime), 1_010_001, ct);

        var months = (await monthRows.ConfigureAwait(false)).Select(row => (KpiRollups.ParseMonth(row.RowKey), KpiRollups.DecodeMonth(row))).ToList();

        TableEntity? open = null;
        var overdue = new List<WorkOrderSummary>();
        var openDowntime = new List<DowntimeInterval>();
        foreach (var row in await openWork.ConfigureAwait(false))
        {
            if (row.RowKey == KpiRollups.OpenKey) open = row;
            else if (row.RowKey.StartsWith(WorkOrderRows.OpenDowntime, StringComparison.Ordinal))
                openDowntime.Add(JsonSerializer.Deserialize(row.GetString(nameof(IndexRow.Data))!, MaintenanceJson.Default.DowntimeInterval)!);
            else if (row.RowKey.StartsWith(WorkOrderRows.OpenByDue, StringComparison.Ordinal))
                overdue.Add(JsonSerializer.Deserialize(row.GetString(nameof(IndexRow.Data))!, MaintenanceJson.Default.WorkOrderSummary)!);
        }
        if (span.ReadOpen && open is null) open = await tables.FindAsync<TableEntity>(TableNames.WorkOrders, pk, KpiRollups.LegacyOpenKey, ct).ConfigureAwait(false);
        return (months, open is null ? new Dictionary<string, OpenFacts>() : KpiRollups.DecodeOpen(open), overdue, openDowntime);
    }

    private static bool NamesUnknownAsset(AssetCatalogue.Snapshot copy, IEnumerable<(DateOnly, SortedDictionary<string, SortedDictionary<int, DayFacts>> Facts)> months,
        IReadOnlyDictionary<string, OpenFacts> open, IEnumerable<WorkOrderSummary> overdue, IEnumerable<DowntimeInterval> openDowntime) =>
        months.SelectMany(m => m.Facts.Keys).Concat(open.Keys).Concat(overdue.Select(o => o.AssetId)).Concat(openDowntime.Select(d => d.AssetId))
            .Any(id => !copy.ById.ContainsKey(id));
}
