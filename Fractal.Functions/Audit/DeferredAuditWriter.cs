using System.Collections.Concurrent;
using Azure.Data.Tables;
using Fractal.Functions.Storage;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Audit;

/// <summary>
/// Writes audit entries of reads (read-tool calls, tokens issued) off the request path: queued in memory and
/// written every <see cref="Interval"/>, several entries to a row (<see cref="AuditBundles"/>), as entity group
/// transactions per tenant, so a read costs no audit round trip of its own (issue 13: read tool ≤ 2, refresh ≤ 3
/// round trips) and little of a row.
/// <para>Loss bound: an entry waits at most <see cref="Interval"/> (plus one write) before it is stored. A
/// process that dies without shutting down loses the entries of that last interval; a normal stop (or a
/// scale-in, which stops the host) writes them on disposal. Storage failing for three attempts drops that
/// batch (logged with its size, never its content). The queue holds at most <see cref="Capacity"/> entries;
/// beyond that callers write directly (awaited), so a storage slowdown costs latency, not entries.</para>
/// Writes, refusals, failures and security events (code replay, refresh reuse) are never deferred.
/// Readers of the log call <see cref="FlushAsync"/> first, so an instance always reads its own entries.
/// </summary>
public sealed class DeferredAuditWriter(TableStore tables, ILogger<DeferredAuditWriter> log) : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    public const int Capacity = 10_000;
    private const int TransactionRowLimit = 100; // the entity group transaction limit (only the row-per-entry layout reaches it)

    private readonly ConcurrentQueue<AuditEntity> _pending = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private int _count;
    private int _started;
    private Task _loop = Task.CompletedTask;

    /// <summary>
    /// The layout before bundles, one row per entry in transactions of 100. Set by the benchmarks only
    /// (Fractal.Benchmarks), so that before and after come from the same run.
    /// </summary>
    internal bool OneRowPerEntry { get; set; }

    /// <summary>Queues the row; false when the queue is full (the caller then writes it itself).</summary>
    public bool TryEnqueue(AuditEntity row)
    {
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }
        _pending.Enqueue(row);
        if (Volatile.Read(ref _started) == 0 && Interlocked.Exchange(ref _started, 1) == 0)
        {
            // The loop must not inherit the first request's execution context (its AsyncLocal state, its activity).
            using (ExecutionContext.SuppressFlow()) _loop = Task.Run(LoopAsync);
        }
        return true;
    }

    /// <summary>Writes everything queued so far, and waits for a batch already being written.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        // Nothing queued and nothing in flight: done. (A batch the loop is writing has left the queue but is not
        // stored yet, so an empty queue alone does not mean the log holds everything.)
        if (_pending.IsEmpty && _writing.CurrentCount > 0) return;
        await _writing.WaitAsync(ct);
        try
        {
            var rows = new List<AuditEntity>();
            while (_pending.TryDequeue(out var row))
            {
                rows.Add(row);
                Interlocked.Decrement(ref _count);
            }
            foreach (var tenant in rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
                foreach (var batch in OneRowPerEntry ? tenant.Chunk(TransactionRowLimit) : AuditBundles.Pack(tenant).Chunk(AuditBundles.RowsPerBatch))
                    await WriteAsync(batch);
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task LoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await FlushAsync(CancellationToken.None);
        }
    }

    private async Task WriteAsync(AuditEntity[] batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await tables.TrySubmitAsync(TableNames.AuditLog, batch.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)).ToList());
                if (result.Succeeded) return;
                // A conflict means a row of this batch exists already (an earlier attempt landed): nothing is lost.
                if (result.Status == WriteStatus.Conflict) return;
            }
            catch (Exception e) when (StorageFaults.IsTransient(e, CancellationToken.None) && attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
                continue;
            }
            catch (Exception e)
            {
                // Never let one batch stop the writer (it runs on its own loop and at shutdown): log its size and go on.
                log.LogError(e, "{Count} deferred audit entries could not be written after {Attempts} attempts.", AuditBundles.CountEntries(batch), attempt);
                return;
            }
            log.LogError("{Count} deferred audit entries could not be written.", AuditBundles.CountEntries(batch));
            return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        await FlushAsync();
        _stopping.Dispose();
    }
}
