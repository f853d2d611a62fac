using System.Text;
using Fractal.Functions.Admin;
using Fractal.Functions.Identity;
using Fractal.Functions.Storage;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Audit;

/// <summary><c>GET /settings/api-connections/transactions-log</c>: the audit log, newest first, filtered and paged, with a CSV link.</summary>
public sealed class TransactionsLogPageFunction(AdminAccess access, AuditQuery log, AuditFilterReader filters)
{
    public const int PageSize = 50;

    [Function("TransactionsLogPage")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "settings/api-connections/transactions-log")] HttpRequest request)
    {
        var (user, refusal) = await access.ForPageAsync(request, Permissions.ApiConnectionsManage);
        if (user is null) return refusal!;
        var ct = request.HttpContext.RequestAborted;
        var t = Texts.For(request);
        var (filter, problem) = await filters.ReadAsync(user.Tenant, request.Query, ct);
        if (filter is not null && request.Query["format"] == "csv") return await AuditCsv.ExportAsync(request, log, user.Tenant, filter, ct);
        IReadOnlyList<AuditEntity> items = [];
        string? next = null;
        if (filter is not null)
        {
            try
            {
                (items, next) = await log.ReadAsync(user.Tenant, filter, PageSize, request.Query["cursor"], ct);
            }
            catch (InvalidCursorException)
            {
                problem = "The page link has expired; start again.";
            }
        }
        string Q(string name) => Html.E(request.Query[name].ToString());
        var rows = new StringBuilder();
        foreach (var e in items)
        {
            rows.Append($"<tr><td>{e.At:yyyy-MM-dd HH:mm:ss}</td><td>{Html.E(e.Event)}</td><td>{Html.E(e.Tool)}</td><td class=\"outcome\">{Html.E(e.Outcome)}</td>" +
                        $"<td>{Html.E(e.UserId)}</td><td>{Html.E(e.ClientId)}</td><td>{e.DurationMs}</td><td>{Html.E(e.Detail)}</td></tr>");
        }
        var baseQuery = string.Join("&", new[] { "user", "consumer", "tool", "outcome", "from", "to" }
            .Where(k => !string.IsNullOrEmpty(request.Query[k])).Select(k => $"{k}={Uri.EscapeDataString(request.Query[k]!)}"));
        var nextLink = next is null ? "" : $"<a id=\"next-page\" href=\"/settings/api-connections/transactions-log?lang={t.Language}&{baseQuery}&cursor={Uri.EscapeDataString(next)}\">{Html.E(t["consumers.next"])}</a>";
        return new PageResult(problem is null ? 200 : 400, nonce => AdminLayout.Render(t, nonce, AdminLayout.Tab.Log, $"""
            <h1>{Html.E(t["admin.tab.log"])}</h1>
            {(problem is null ? "" : $"<p class=\"error\" role=\"alert\">{Html.E(problem)}</p>")}
            <form method="get" action="/settings/api-connections/transactions-log" id="filters" class="toolbar">{Html.Hidden("lang", t.Language)}
            <label>User (email)<input name="user" type="text" value="{Q("user")}"></label>
            <label>Consumer (key)<input name="consumer" type="text" value="{Q("consumer")}"></label>
            <label>Tool<input name="tool" type="text" value="{Q("tool")}"></label>
            <label>Outcome<select name="outcome"><option value=""></option>{string.Concat(new[] { "Success", "Failure", "Refused" }.Select(o => $"<option{(request.Query["outcome"] == o ? " selected" : "")}>{o}</option>"))}</select></label>
            <label>From<input name="from" type="date" value="{Q("from")}"></label>
            <label>To<input name="to" type="date" value="{Q("to")}"></label>
            <button type="submit" id="apply-filters">{Html.E(t["consumers.search.button"])}</button>
            </form>
            <div class="table-wrap"><table id="log"><thead><tr><th>At (UTC)</th><th>Event</th><th>Tool</th><th>Outcome</th><th>User</th><th>Consumer</th><th>ms</th><th>Detail</th></tr></thead>
            <tbody>{(items.Count == 0 ? $"<tr><td colspan=\"8\">{Html.E(t["consumers.empty"])}</td></tr>" : rows.ToString())}</tbody></table></div>
            <div class="toolbar">{nextLink}<a id="export-csv" href="/settings/api-connections/transactions-log?{baseQuery}&format=csv">CSV</a></div>
            """, user.Email));
    }
}
