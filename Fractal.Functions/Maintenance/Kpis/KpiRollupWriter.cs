using System.Text.Json;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Maintenance.Stores.WorkOrders;
using Fractal.Functions.Storage;
using MonthFacts = System.Collections.Generic.SortedDictionary<string, System.Collections.Generic.SortedDictionary<int, Fractal.Functions.Maintenance.Kpis.DayFacts>>;
using OpenState = System.Collections.Generic.SortedDictionary<string, Fractal.Functions.Maintenance.Kpis.OpenFacts>;

namespace Fractal.Functions.Maintenance.Kpis;

/// <summary>
/// Keeps the KPI rollups in step with every work-order change: reads the month rows (and the open-work row)
/// the change touches, subtracts the order's contributions before and adds them after, and returns the
/// replaces (If-Match), adds and deletes that go into the order's own transaction. A concurrent change of
/// the same rollup row fails that transaction with a conflict on a shared row, which the work-order service
/// retries from a fresh read.
/// </summary>
internal sealed class KpiRollupWriter(TableStore tables, ITenantSettingsService settings) : IWorkOrderDerivedWriter
{
    private const string Table = TableNames.WorkOrders;

    public async Task<IReadOnlyList<TableTransactionAction>> ActionsAsync(TenantId tenant, WorkOrder? before, WorkOrder after, CancellationToken ct)
    {
        var s = await settings.GetAsync(tenant, ct).ConfigureAwait(false);
        var clock = s.Clock();
        var was = before is null ? [] : KpiContributions.Of(before, clock, s.Calendar);
        var now = KpiContributions.Of(after, clock, s.Calendar);
        var pk = tenant.Value;
        var actions = new List<TableTransactionAction>();

        foreach (var month in was.Concat(now).Select(c => KpiRollups.MonthOf(c.Day)).Distinct().Order())
        {
            var row = await tables.FindAsync<TableEntity>(Table, pk, KpiRollups.MonthKey(month), ct).ConfigureAwait(false);
            var facts = row is null ? new MonthFacts(StringComparer.Ordinal) : KpiRollups.DecodeMonth(row);
            var original = Json(facts);
            var months = new Dictionary<DateOnly, MonthFacts> { [month] = facts };
            if (before is not null) KpiRollups.Apply(months, before.AssetId, was.Where(c => KpiRollups.MonthOf(c.Day) == month), -1);
            KpiRollups.Apply(months, after.AssetId, now.Where(c => KpiRollups.MonthOf(c.Day) == month), +1);
            if (Json(facts) == original) continue;
            actions.Add(Action(row, facts.Count == 0, () => KpiRollups.EncodeMonth(pk, month, facts, row?.ETag ?? default)));
        }

        var openBefore = before is null ? null : KpiContributions.Open(before);
        var openAfter = KpiContributions.Open(after);
        if (openBefore is not null || openAfter is not null)
        {
            var row = await tables.FindAsync<TableEntity>(Table, pk, KpiRollups.OpenKey, ct).ConfigureAwait(false);
            // A tenant written before the open-work row moved: carry its legacy row over, in this transaction.
            var legacy = row is null ? await tables.FindAsync<TableEntity>(Table, pk, KpiRollups.LegacyOpenKey, ct).ConfigureAwait(false) : null;
            var open = (row ?? legacy) is { } stored ? KpiRollups.DecodeOpen(stored) : new OpenState(StringComparer.Ordinal);
            var original = JsonSerializer.Serialize(open, KpiJson.Default.SortedDictionaryStringOpenFacts);
            if (before is not null) KpiRollups.ApplyOpen(open, before.AssetId, openBefore, -1);
            KpiRollups.ApplyOpen(open, after.AssetId, openAfter, +1);
            if (legacy is not null) actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, legacy, legacy.ETag));
            if (legacy is not null || JsonSerializer.Serialize(open, KpiJson.Default.SortedDictionaryStringOpenFacts) != original)
                actions.Add(Action(row, false, () => KpiRollups.EncodeOpen(pk, open, row?.ETag ?? default)));
        }
        return actions;
    }

    private static TableTransactionAction Action(TableEntity? existing, bool empty, Func<TableEntity> encode) => (existing, empty) switch
    {
        (null, _) => new TableTransactionAction(TableTransactionActionType.Add, encode()),
        (_, true) => new TableTransactionAction(TableTransactionActionType.Delete, existing, existing.ETag),
        _ => new TableTransactionAction(TableTransactionActionType.UpdateReplace, encode(), existing.ETag),
    };

    private static string Json(MonthFacts facts) => JsonSerializer.Serialize(facts, KpiJson.Default.SortedDictionaryStringSortedDictionaryInt32DayFacts);
}
