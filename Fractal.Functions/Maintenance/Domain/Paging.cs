namespace Fractal.Functions.Maintenance.Domain;

/// <summary>A page request: size (1-100, as the public API caps it) and the opaque cursor of the previous page.</summary>
public sealed record PageRequest(int Size = 50, string? Cursor = null)
{
    public const int MaxSize = 100;
    public static PageRequest First(int size = 50) => new(size);
}

/// <summary>
/// One page of a list. <see cref="NextCursor"/> is null on the last page. A page may hold fewer items than
/// asked when secondary filters apply: callers must follow the cursor, not count items.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
