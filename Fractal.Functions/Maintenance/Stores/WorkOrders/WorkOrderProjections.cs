using System.Collections.Concurrent;
using Fractal.Functions.Identity;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores.WorkOrders;

/// <summary>
/// Whether every work order of a tenant is at the current projection (<see cref="WorkOrderRows.ProjectionVersion"/>),
/// so a reader may rely on a derived family added by that version. Read from the tenant's marker row
/// (<see cref="WorkOrderRows.ProjectionMarkerKey"/>) and kept by this process: "yes" for good, since it cannot
/// become false again (every writer of this version writes the current projection); "not yet" for a minute, so a
/// tenant that has not been upgraded costs one read a minute rather than one per request.
/// </summary>
internal sealed class WorkOrderProjections(TableStore tables, TimeProvider time)
{
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _notYet = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _current = new(StringComparer.Ordinal);

    public async Task<bool> AreCurrentAsync(TenantId tenant, CancellationToken ct)
    {
        var pk = tenant.Value;
        if (_current.ContainsKey(pk)) return true;
        if (_notYet.TryGetValue(pk, out var until) && until > time.GetUtcNow()) return false;
        var marker = await tables.FindAsync<CounterRow>(TableNames.WorkOrders, pk, WorkOrderRows.ProjectionMarkerKey, ct).ConfigureAwait(false);
        if (marker?.Value >= WorkOrderRows.ProjectionVersion)
        {
            _current[pk] = true;
            _notYet.TryRemove(pk, out _);
            return true;
        }
        _notYet[pk] = time.GetUtcNow() + RecheckAfter;
        return false;
    }
}
