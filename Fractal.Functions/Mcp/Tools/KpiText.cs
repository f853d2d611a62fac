using System.Globalization;
using System.Text.Json;
using Fractal.Functions.Maintenance.Kpis;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>
/// The text of a <c>get_kpis</c> answer, for hosts that hand the model only the text: every KPI by the code the schema
/// uses (<c>pm_compliance</c>, not the C# name), ratios as %, the MTBF views labelled, and for a grouped request each
/// KPI's groups (the first <see cref="MaxGroups"/>, saying how many more the structured content holds).
/// </summary>
internal static class KpiText
{
    public const int MaxGroups = 12;

    public static string Of(KpiReport report)
    {
        var period = $"{report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd} (local dates, {report.TimeZone}), scope {report.ScopeAssetId ?? "whole plant"}";
        var lines = report.Results.GroupBy(r => r.Kpi).Select(kpi =>
        {
            var whole = kpi.FirstOrDefault(r => r.Group is null);
            if (whole is not null) return $"{Label(kpi.Key)}: {Value(whole)}";
            var groups = kpi.ToList();
            var shown = string.Join("; ", groups.Take(MaxGroups).Select(r => $"{r.Group} {Value(r)}"));
            var more = groups.Count > MaxGroups ? $"; {groups.Count - MaxGroups} more group(s) in the structured content" : "";
            return $"{Label(kpi.Key)} by group: {shown}{more}";
        });
        return $"{period}. " + string.Join(". ", lines) + ".";
    }

    public static string Code(KpiKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    private static string Label(KpiKind kind) => kind switch
    {
        KpiKind.Mtbf => "mtbf (fleet view: asset-hours ÷ failures)",
        KpiKind.MtbfLine => "mtbf_line (line view: line hours ÷ line-stopping failures)",
        _ => Code(kind),
    };

    private static string Value(KpiResult r) => r.Value is not { } v ? "n/a" + (r.Coverage.Note is { } note ? $" ({note})" : "") : r.Unit switch
    {
        "ratio" => (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %",
        "hours" => v.ToString("0.#", CultureInfo.InvariantCulture) + " h",
        "currency" => v.ToString("0.##", CultureInfo.InvariantCulture),
        "failures" or "orders" => v.ToString("0", CultureInfo.InvariantCulture),
        _ => v.ToString("0.##", CultureInfo.InvariantCulture) + " " + r.Unit,
    };
}
