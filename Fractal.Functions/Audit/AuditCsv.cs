using System.Globalization;
using System.Text;
using Fractal.Functions.Identity;
using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Audit;

/// <summary>The Transactions log as CSV (up to 10,000 entries, newest first), for the API and the page's export link.</summary>
public static class AuditCsv
{
    public const int Limit = 10_000;

    public static async Task<IResult> ExportAsync(HttpRequest request, AuditQuery log, TenantId tenant, AuditFilter filter, CancellationToken ct)
    {
        var csv = new StringBuilder("at,event,tool,outcome,user_id,client_id,duration_ms,detail\n");
        string? cursor = null;
        var count = 0;
        do
        {
            var (items, next) = await log.ReadAsync(tenant, filter, 500, cursor, ct);
            foreach (var e in items.Take(Limit - count))
                csv.Append(string.Join(',', e.At.ToString("O", CultureInfo.InvariantCulture), Cell(e.Event), Cell(e.Tool), Cell(e.Outcome),
                    Cell(e.UserId), Cell(e.ClientId), e.DurationMs?.ToString(CultureInfo.InvariantCulture) ?? "", Cell(e.Detail))).Append('\n');
            count += items.Count;
            cursor = next;
        } while (cursor is not null && count < Limit);
        request.HttpContext.Response.Headers.ContentDisposition = "attachment; filename=\"transactions-log.csv\"";
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return Results.Text(csv.ToString(), "text/csv", Encoding.UTF8);
    }

    /// <summary>
    /// The characters that make a spreadsheet read a cell as a formula when they lead it: OWASP's CSV injection
    /// list (= + - @, and tab and carriage return, which some spreadsheets skip before reading a formula).
    /// </summary>
    internal static readonly char[] FormulaLeads = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>RFC 4180 quoting, and a leading quote for values a spreadsheet would run as a formula (OWASP CSV injection).</summary>
    internal static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (Array.IndexOf(FormulaLeads, value[0]) >= 0) value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
