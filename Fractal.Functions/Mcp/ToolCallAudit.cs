using System.Diagnostics;
using System.Text.Json;
using Fractal.Functions.Audit;
using Fractal.Functions.Hosting.Telemetry;
using Microsoft.Extensions.Logging;
using Fractal.Functions.Mcp.Tools;
using ModelContextProtocol.Protocol;

namespace Fractal.Functions.Mcp;

/// <summary>
/// Writes one audit entry per tools/call: tenant, user, consumer, tool, a redacted summary of the
/// arguments, outcome and duration. Write tools, refusals and failures are written before the call answers,
/// so a crash loses none of them; a successful read is deferred to the next audit batch (off the request
/// path; loss bound in <see cref="DeferredAuditWriter"/>).
/// </summary>
public sealed class ToolCallAudit(AuditLog audit, ILogger<ToolCallAudit> log)
{
    private static readonly string[] SensitiveWords = ["password", "secret", "token", "key"];

    public async ValueTask<CallToolResult> RunAsync(McpCaller caller, string tool, IDictionary<string, JsonElement>? arguments,
        Func<ValueTask<CallToolResult>> run, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        CallToolResult? result = null;
        var outcome = AuditOutcome.Failure;
        try
        {
            result = await run();
            outcome = result.IsError == true ? (IsPermissionRefusal(result) ? AuditOutcome.Refused : AuditOutcome.Failure) : AuditOutcome.Success;
            return result;
        }
        finally
        {
            var outcomeName = result is null ? "failed" : OutcomeName(outcome);
            // The MCP SDK's tools/call span (mcp.method.name, gen_ai.tool.name) gains who called it.
            FractalTelemetry.TagCaller(caller.Tenant.Value, caller.ClientId, caller.UserId);
            Activity.Current?.SetTag(FractalTelemetry.OutcomeAttribute, outcomeName);
            FractalTelemetry.ToolCalled(tool, outcomeName, watch.Elapsed);
            // Debug, not Information: every call is already an audit entry, a span and a metric; an Information line
            // per call would double the ingested log volume (Log Analytics bills per GB) and slow the hot path.
            log.LogDebug("Tool {Tool} for user {UserId} of tenant {TenantId} through client {ClientId}: {Outcome} in {DurationMs} ms",
                tool, caller.UserId, caller.Tenant.Value, caller.ClientId, outcomeName, (int)watch.ElapsedMilliseconds);
            var entry = new AuditEntry("tool_call", outcome, caller.UserId, caller.ClientId, Redact(arguments), Tool: tool, DurationMs: (int)watch.ElapsedMilliseconds);
            if (outcome == AuditOutcome.Success && !ToolPermissions.IsWrite(tool)) await audit.DeferAsync(caller.Tenant, entry, CancellationToken.None);
            // A successful write tool has changed data: its answer must not be lost to an audit-write outage.
            else if (outcome == AuditOutcome.Success) await audit.WriteAfterChangeAsync(caller.Tenant, entry, CancellationToken.None);
            else await audit.WriteAsync(caller.Tenant, entry, CancellationToken.None);
        }
    }

    private static string OutcomeName(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Success => "success",
        AuditOutcome.Refused => "refused",
        _ => "tool_error",
    };

    private static bool IsPermissionRefusal(CallToolResult result) =>
        result.Content.OfType<TextContentBlock>().Any(t => t.Text.StartsWith(McpCaller.RefusalPrefix, StringComparison.Ordinal));

    /// <summary>Argument names and short values; anything that looks like a credential is masked.</summary>
    internal static string? Redact(IDictionary<string, JsonElement>? arguments)
    {
        if (arguments is null || arguments.Count == 0) return null;
        var parts = arguments.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a =>
        {
            var sensitive = SensitiveWords.Any(w => a.Key.Contains(w, StringComparison.OrdinalIgnoreCase) && a.Key != IdempotentCalls.Argument);
            var value = sensitive ? "***" : a.Value.ValueKind == JsonValueKind.String ? a.Value.GetString() ?? "" : a.Value.GetRawText();
            return $"{a.Key}={(value.Length > 60 ? value[..60] + "…" : value)}";
        });
        var text = string.Join(", ", parts);
        return text.Length > 1000 ? text[..1000] + "…" : text;
    }
}
