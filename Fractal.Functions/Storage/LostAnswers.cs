using Azure.Data.Tables;

namespace Fractal.Functions.Storage;

/// <summary>
/// Writes whose answer can be lost after storage carried them out (a timeout or a dropped connection after the
/// request was sent). Answering "failed, nothing changed" then would leave half a result — a redeemed code whose
/// tokens nobody received, a work order changed twice by a keyed retry — so on a transient fault the written row is
/// read back and, when it proves this very write was stored, the write is answered as the success it was.
/// <para>
/// The proof is the caller's (<c>isThisWrite</c>), and must hold only for this write: a value no other writer could
/// have put there (a new random id, a hash only this request knows, the whole row as written). When the row does not
/// prove it, or the read-back fails too, the original fault stands: nothing is answered that was not seen stored.
/// Reliability/HalfResultTests cuts every storage request of these operations, before and after storage acts.
/// </para>
/// </summary>
public static class LostAnswers
{
    public static async Task<WriteResult> WriteAsync<T>(this TableStore tables, string table, string partitionKey, string rowKey,
        Func<Task<WriteResult>> write, Func<T, bool> isThisWrite, CancellationToken ct)
        where T : class, ITableEntity, new()
    {
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (Exception e) when (StorageFaults.IsTransient(e, ct))
        {
            // Not the request's token: the write may have been stored, and the person is owed its answer.
            var stored = await tables.FindAsync<T>(table, partitionKey, rowKey, CancellationToken.None).ConfigureAwait(false);
            if (stored is not null && isThisWrite(stored)) return new WriteResult(WriteStatus.Succeeded, stored.ETag);
            throw;
        }
    }
}
