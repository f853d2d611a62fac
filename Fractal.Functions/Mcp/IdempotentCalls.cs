using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Fractal.Functions.Storage;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Fractal.Functions.Mcp;

/// <summary>
/// Retries of write tools with the same <c>idempotency_key</c>, per tenant, user, consumer (client) and tool
/// (<see cref="ScopedKey"/>): the same arguments get the first result back and change nothing; other arguments are
/// refused. A pending row is written before the tool runs, so two concurrent calls with one key cannot both run.
/// Rows: <c>McpIdempotency</c>, PartitionKey = tenant, RowKey "&lt;user&gt;|&lt;tool&gt;|&lt;scoped key&gt;".
/// </summary>
public sealed class IdempotentCalls(TableStore tables, TimeProvider time)
{
    public const string Argument = "idempotency_key";

    public async ValueTask<CallToolResult> RunAsync(McpCaller caller, string tool, IDictionary<string, JsonElement>? arguments,
        Func<ValueTask<CallToolResult>> run, CancellationToken ct)
    {
        if (arguments is null || !arguments.TryGetValue(Argument, out var keyElement) || keyElement.ValueKind == JsonValueKind.Null) return await run();
        var key = keyElement.ValueKind == JsonValueKind.String ? keyElement.GetString() : null;
        if (string.IsNullOrEmpty(key) || key.Length > 200) throw new McpProtocolException("idempotency_key must be a string of 1-200 characters.", McpErrorCode.InvalidParams);

        var rowKey = $"{caller.UserId}|{tool}|{ScopedKey(caller, tool, key)}";
        var argumentsHash = Hash(Canonical(arguments));
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var existing = await tables.FindAsync<IdempotencyEntity>(TableNames.McpIdempotency, caller.Tenant.Value, rowKey, ct);
            if (existing is not null)
            {
                if (existing.ArgumentsHash != argumentsHash)
                    return ToolResults.Error("This idempotency_key was already used with different arguments; use a new key for a new change.");
                return existing.Result is null
                    ? ToolResults.Error("A call with this idempotency_key is still running; try again shortly.")
                    : JsonSerializer.Deserialize<CallToolResult>(existing.Result, McpJsonUtilities.DefaultOptions)!;
            }
            var pending = new IdempotencyEntity { PartitionKey = caller.Tenant.Value, RowKey = rowKey, ArgumentsHash = argumentsHash, CreatedAt = time.GetUtcNow() };
            if (!await TryClaimAsync(pending, ct)) continue;
            CallToolResult result;
            try
            {
                result = await run();
            }
            catch
            {
                // The tool did not finish (its change is one transaction, so nothing was made): let a retry run it.
                await tables.TryDeleteAsync(TableNames.McpIdempotency, pending.PartitionKey, rowKey, ETag.All, CancellationToken.None);
                throw;
            }
            pending.Result = JsonSerializer.Serialize(result, McpJsonUtilities.DefaultOptions);
            try
            {
                await tables.TryReplaceAsync(TableNames.McpIdempotency, pending, pending.ETag, CancellationToken.None);
            }
            catch (Exception e) when (StorageFaults.IsTransient(e, CancellationToken.None))
            {
                // The change is made: answer it. Deleting the pending row here (as before) let a keyed retry make the
                // change twice (Reliability/HalfResultTests); the pending row stays, so a retry is told the call is
                // still running and never runs it again.
            }
            return result;
        }
        return ToolResults.Error("A call with this idempotency_key is still running; try again shortly.");
    }

    /// <summary>
    /// Writes the pending row. When its answer is lost, the row is read back: ours (same arguments, same creation
    /// instant, no result) means the claim was made, and the call goes on; without this a keyed retry would find the
    /// pending row forever "still running" and the change could never be made with that key (Reliability/HalfResultTests).
    /// </summary>
    private async Task<bool> TryClaimAsync(IdempotencyEntity pending, CancellationToken ct)
    {
        var claim = await tables.WriteAsync<IdempotencyEntity>(TableNames.McpIdempotency, pending.PartitionKey, pending.RowKey,
            () => tables.TryAddAsync(TableNames.McpIdempotency, pending, ct),
            stored => stored.Result is null && stored.ArgumentsHash == pending.ArgumentsHash && stored.CreatedAt == pending.CreatedAt, ct);
        if (claim.Succeeded) pending.ETag = claim.ETag;
        return claim.Succeeded;
    }

    /// <summary>
    /// The one scope of an idempotency key: SHA-256 of tenant, user, consumer, tool and the caller's key. This table's row
    /// and the create tools' dedupe in the domain (the order or request index row written in the same transaction as the
    /// record, which still holds when this layer's row is lost) both use it, so a key another person or app happens to
    /// reuse never meets the first caller's record, and a replay only ever returns the caller's own result (issue 24).
    /// </summary>
    public static string ScopedKey(McpCaller caller, string tool, string key) =>
        Hash(string.Join('\n', caller.Tenant.Value, caller.UserId, caller.ClientId, tool, key));

    /// <summary><see cref="ScopedKey"/> for a tool's optional key argument (already checked by <see cref="RunAsync"/>); null when absent.</summary>
    public static string? ScopedKeyOrNull(McpCaller caller, string tool, string? key) =>
        string.IsNullOrEmpty(key) ? null : ScopedKey(caller, tool, key);

    private static string Canonical(IDictionary<string, JsonElement> arguments) =>
        string.Join('\u001f', arguments.Where(a => a.Key != Argument).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + a.Value.GetRawText()));

    private static string Hash(string text) => Sha256Hex.Of(text);
}

public sealed class IdempotencyEntity : StoredEntity
{
    public string ArgumentsHash { get; set; } = "";
    /// <summary>The first call's result (JSON), null while it runs.</summary>
    public string? Result { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
