using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores;

/// <summary>
/// A derived row: an index entry, a search term, a downtime interval. Always rebuilt from its record and
/// written in the same entity-group transaction as it, so it can never disagree with the record for longer
/// than a failed batch (which writes nothing). <see cref="Ref"/> names the record; <see cref="Data"/> holds
/// what a list shows (JSON), so a list needs no point read per item.
/// </summary>
public sealed class IndexRow : StoredEntity
{
    public string Ref { get; set; } = "";
    public string? Data { get; set; }
    public double Weight { get; set; }

    internal bool SameContent(IndexRow other) => Ref == other.Ref && Data == other.Data && Weight.Equals(other.Weight);
}
