using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fractal.Functions.Maintenance.Api;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp;

/// <summary>
/// Every timestamp a tool answers with carries the plant's local offset (<c>2026-05-06T23:03:00-04:00</c>, not
/// <c>2026-05-07T03:03:00+00:00</c>): the same instant, but a model reading it tells "6 May, late evening" without
/// knowing the tenant's time zone. Stores keep UTC; this one call filter rewrites the date-times of the structured
/// content and of the views' <c>_meta</c>, so no tool (and no tool added later) can forget it. A date-time is what
/// System.Text.Json writes for a <see cref="DateTimeOffset"/>; free text never has exactly that shape by accident,
/// and if it did, the rewrite would keep the instant it names.
/// </summary>
public static partial class LocalOffsets
{
    /// <summary>The call filter (inside the audit and outage guard, so a failed settings read is an outage answer).</summary>
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, ct) =>
        {
            var result = await next(context, ct);
            if (McpCaller.From(context.User) is not { } caller || result.IsError == true) return result;
            var settings = await context.Services!.GetRequiredService<ITenantSettingsService>().GetAsync(caller.Tenant, ct);
            return Apply(result, settings.Clock().Zone);
        };

    public static CallToolResult Apply(CallToolResult result, TimeZoneInfo zone)
    {
        if (zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime) return result; // already as UTC writes it
        if (result.StructuredContent is { } content)
        {
            var node = JsonNode.Parse(content.GetRawText());
            if (Rewrite(node, zone)) result.StructuredContent = JsonSerializer.SerializeToElement(node);
        }
        if (result.Meta is { } meta) Rewrite(meta, zone);
        return result;
    }

    /// <summary>Rewrites the date-times under <paramref name="node"/> in place; true when any changed.</summary>
    private static bool Rewrite(JsonNode? node, TimeZoneInfo zone)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (Local(child, zone) is { } local) { obj[key] = local; changed = true; }
                    else changed |= Rewrite(child, zone);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (Local(array[i], zone) is { } local) { array[i] = local; changed = true; }
                    else changed |= Rewrite(array[i], zone);
                }
                break;
        }
        return changed;
    }

    /// <summary>The value rewritten with the local offset, or null when it is not a date-time (or already local).</summary>
    private static string? Local(JsonNode? node, TimeZoneInfo zone)
    {
        if (node is not JsonValue value || !value.TryGetValue<string>(out var text) || !DateTimeShape().IsMatch(text)) return null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)) return null;
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return local.Offset == instant.Offset ? null : local.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeShape();
}
