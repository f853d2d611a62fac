namespace Fractal.Functions.Storage;

/// <summary>One page of a single-partition range query; <see cref="NextCursor"/> is opaque and signed.</summary>
public sealed record TablePage<T>(IReadOnlyList<T> Items, string? NextCursor);
