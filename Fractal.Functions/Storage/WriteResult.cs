using Azure;

namespace Fractal.Functions.Storage;

public enum WriteStatus
{
    Succeeded,
    /// <summary>The row already exists (insert) or its ETag changed since it was read (update, delete).</summary>
    Conflict,
    /// <summary>The row to update or delete does not exist.</summary>
    NotFound,
}

/// <summary>The outcome of a conditional write: a lost race is a value to act on, never an exception.</summary>
public readonly record struct WriteResult(WriteStatus Status, ETag ETag)
{
    public bool Succeeded => Status == WriteStatus.Succeeded;
    public static WriteResult Conflict => new(WriteStatus.Conflict, default);
    public static WriteResult NotFound => new(WriteStatus.NotFound, default);
}
