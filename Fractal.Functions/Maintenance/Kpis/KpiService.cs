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
/// <see cref="IKpiService"/>: reads the scope (one asset-path range), the month rollups of the period (one
/// range of ~12 rows), the open-work row, the overdue index up to as-of (when asked for) and the open downtime, then computes
/// with <see cref="KpiCalculator"/>. No order is read one by one, whatever the size of the plant.
/// </summary>
internal sealed class KpiService(TableStore tables, AssetService assets, ITenantSettingsService settings, TimeProvider time) : IKpiService
{
    private const int MaxPeriodDays = 366 * 5;

    public async Task<DomainResult<KpiReport>> ComputeAsync(TenantId tenant, KpiRequest request, CancellationToken ct = default)
    {
        if (request.Kpis.Count == 0) return MaintenanceErrors.Invalid("kpis", "name at least one KPI.");
        if (request.FirstTimeFixWindowDays is < 1 or > 365) return MaintenanceErrors.Invalid("firstTimeFixWindowDays", "1 to 365.");
        var loaded = await LoadAsync(tenant, request.From, request.To, request.ScopeAssetId, request.FirstTimeFixWindowDays, request.AsOf,
            request.Kpis.Contains(KpiKind.OverdueWorkOrders), ct).ConfigureAwait(false);
        if (!loaded.IsSuccess) return loaded.Error;
        var (calculator, scope, asOf, zone) = loaded.Value;

        var results = new List<KpiResult>();
        foreach (var kind in request.Kpis.Distinct())
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

    public async Task<DomainResult<IReadOnlyList<BadActor>>> RankBadActorsAsync(TenantId tenant, BadActorRequest request, CancellationToken ct = default)
    {
        if (request.Top is < 1 or > 100) return MaintenanceErrors.Invalid("top", "1 to 100.");
        var loaded = await LoadAsync(tenant, request.From, request.To, request.ScopeAssetId, 1, request.AsOf, readOverdue: false, ct).ConfigureAwait(false);
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

    private async Task<DomainResult<(KpiCalculator Calculator, IReadOnlyDictionary<string, Asset> Scope, DateTimeOffset AsOf, string Zone)>> LoadAsync(
        TenantId tenant, DateOnly from, DateOnly to, string? scopeAssetId, int windowDays, DateTimeOffset? asOf, bool readOverdue, CancellationToken ct)
    {
        if (to <= from) return MaintenanceErrors.Invalid("to", "must be after from.");
        if (to.DayNumber - from.DayNumber > MaxPeriodDays) return MaintenanceErrors.Invalid("period", "at most five years.");
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
        var scopeRows = tables.ReadPrefixAsync<IndexRow>(TableNames.Assets, pk, AssetRows.ByPath + rootPath, 100_000, ct);
        var monthRows = tables.ReadRangeAsync<TableEntity>(TableNames.WorkOrders, pk, KpiRollups.MonthKey(KpiRollups.MonthOf(from)),
            Keys.After(KpiRollups.MonthKey(KpiRollups.MonthOf(to.AddDays(windowDays)))), 1000, ct);
        var openRow = tables.FindAsync<TableEntity>(TableNames.WorkOrders, pk, KpiRollups.OpenKey, ct);
        // The overdue index can be long (every order in process past its date); read it only when asked for.
        var overdueRows = readOverdue
            ? tables.ReadRangeAsync<IndexRow>(TableNames.WorkOrders, pk, WorkOrderRows.OpenByDue, WorkOrderRows.OpenByDue + Keys.Time(now) + "|\uffff", 1_000_000, ct)
            : Task.FromResult(new List<IndexRow>());
        var openDowntime = assets.GetOpenDowntimeAsync(tenant, null, ct);

        var scope = (await scopeRows.ConfigureAwait(false)).Select(r => JsonSerializer.Deserialize(r.Data!, MaintenanceJson.Default.Asset)!).ToDictionary(a => a.Id, StringComparer.Ordinal);
        var months = (await monthRows.ConfigureAwait(false)).Select(r => (KpiRollups.ParseMonth(r.RowKey), KpiRollups.DecodeMonth(r)));
        var open = await openRow.ConfigureAwait(false) is { } o ? KpiRollups.DecodeOpen(o) : [];
        var overdue = (await overdueRows.ConfigureAwait(false)).Select(r => JsonSerializer.Deserialize(r.Data!, MaintenanceJson.Default.WorkOrderSummary)!);
        var data = KpiData.From(scope, months, open, overdue, await openDowntime.ConfigureAwait(false));
        return (new KpiCalculator(data, clock, s.Calendar, s.CrewCapacityHoursPerWeek, now), scope, now, s.TimeZoneId);
    }
}
