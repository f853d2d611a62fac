using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores;

/// <summary>
/// A per-tenant sequence (work-order folios, request numbers). It is replaced with If-Match in the same
/// transaction that inserts the new record, so two creators can never get the same number and a failed
/// creation consumes none.
/// </summary>
public sealed class CounterRow : StoredEntity
{
    public long Value { get; set; }
}
