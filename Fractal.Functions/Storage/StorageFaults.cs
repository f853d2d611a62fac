using Azure;

namespace Fractal.Functions.Storage;

/// <summary>Recognises a dependency outage (storage or secret store unreachable, throttled or failing), as opposed to a bug.</summary>
public static class StorageFaults
{
    public static bool IsTransient(Exception e, CancellationToken requestAborted) => e switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        HttpRequestException or TimeoutException => true,
        OperationCanceledException => !requestAborted.IsCancellationRequested,
        AggregateException a => a.InnerExceptions.All(i => IsTransient(i, requestAborted)),
        _ => e.InnerException is not null && IsTransient(e.InnerException, requestAborted),
    };
}
