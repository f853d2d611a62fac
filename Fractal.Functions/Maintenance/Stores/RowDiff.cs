using Azure;
using Azure.Data.Tables;

namespace Fractal.Functions.Maintenance.Stores;

/// <summary>
/// Turns "the derived rows of the record before" and "after" into the actions that make storage match:
/// delete what disappeared, upsert what is new or changed, leave the rest alone. Both sides are computed
/// from records (deterministically), so no index row needs reading before a write.
/// </summary>
internal static class RowDiff
{
    public static IEnumerable<TableTransactionAction> Actions(IReadOnlyCollection<IndexRow> before, IReadOnlyCollection<IndexRow> after)
    {
        var old = before.ToDictionary(r => r.RowKey, StringComparer.Ordinal);
        var now = after.ToDictionary(r => r.RowKey, StringComparer.Ordinal);
        foreach (var (key, row) in old)
        {
            if (!now.ContainsKey(key)) yield return new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All);
        }
        foreach (var (key, row) in now)
        {
            if (!old.TryGetValue(key, out var previous) || !previous.SameContent(row))
                yield return new TableTransactionAction(TableTransactionActionType.UpsertReplace, row);
        }
    }
}
