using System.Text;
using Fractal.Functions.Admin;
using Fractal.Functions.Identity;
using Fractal.Functions.Storage;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Consumers.Pages;

/// <summary>
/// <c>GET /settings/api-connections/consumers</c>: the consumers in name order, 25 a page, searched by
/// name prefix through the name index, with "Showing X of Y" from the counter row; select several to delete.
/// </summary>
public sealed class ConsumersPageFunction(AdminAccess access, ConsumerStore consumers, Csrf csrf)
{
    public const int PageSize = 25;

    [Function("ConsumersPage")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "settings/api-connections/consumers")] HttpRequest request)
    {
        var (user, refusal) = await access.ForPageAsync(request, Permissions.ApiConnectionsManage);
        if (user is null) return refusal!;
        var ct = request.HttpContext.RequestAborted;
        var t = Texts.For(request);
        var search = request.Query["search"].ToString();
        var shownBefore = int.TryParse(request.Query["shown"], out var s) && s >= 0 ? s : 0;
        TablePage<ConsumerListEntity> page;
        try
        {
            page = await consumers.ListAsync(user.Tenant, search, PageSize, request.Query["cursor"], ct);
        }
        catch (InvalidCursorException)
        {
            return RedirectTo.Found($"/settings/api-connections/consumers?lang={t.Language}");
        }
        var total = string.IsNullOrWhiteSpace(search) ? await consumers.CountAsync(user.Tenant, ct) : (int?)null;
        var token = await csrf.IssueAsync(request.HttpContext, ct);

        var rows = new StringBuilder();
        foreach (var c in page.Items)
        {
            if (c.Kind is { } kind)
            {
                // A client of no tenant, listed since one of the tenant's people authorized it: nothing here to
                // edit or delete (the admin blocks dynamic clients or metadata-document hosts on the API Connection tab).
                rows.Append($"""
                    <tr class="linked-client" data-kind="{Html.E(kind)}"><td></td>
                    <td>{Html.E(c.Name)} <span class="badge">{Html.E(t["consumers.kind." + kind])}</span></td>
                    <td><code>{Html.E(c.ClientId)}</code></td>
                    <td><code>—</code></td>
                    <td>{Html.E(t["consumers.type." + c.ClientType])}</td>
                    <td>{c.CreatedAt:yyyy-MM-dd}</td></tr>
                    """);
                continue;
            }
            rows.Append($"""
                <tr><td><input type="checkbox" name="id" value="{Html.E(c.ClientId)}" form="bulk-delete" aria-label="{Html.E(c.Name)}"></td>
                <td><a href="/settings/api-connections/consumers/{Uri.EscapeDataString(c.ClientId)}?lang={t.Language}">{Html.E(c.Name)}</a></td>
                <td><code>{Html.E(c.ClientId)}</code></td>
                <td><code>{(c.SecretPrefix is null ? "—" : Html.E(c.SecretPrefix) + "••••••••")}</code></td>
                <td>{Html.E(t["consumers.type." + c.ClientType])}</td>
                <td>{c.CreatedAt:yyyy-MM-dd}</td></tr>
                """);
        }
        var shown = shownBefore + page.Items.Count;
        var next = page.NextCursor is null ? "" :
            $"<a id=\"next-page\" href=\"/settings/api-connections/consumers?lang={t.Language}&search={Uri.EscapeDataString(search)}&shown={shown}&cursor={Uri.EscapeDataString(page.NextCursor)}\">{Html.E(t["consumers.next"])}</a>";
        var showing = total is null ? $"{shown}" : t.Format("consumers.showing", shown, total);
        return new PageResult(200, nonce => AdminLayout.Render(t, nonce, AdminLayout.Tab.Consumers, $"""
            <h1>{Html.E(t["admin.tab.consumers"])}</h1>
            <div class="toolbar">
            <form method="get" action="/settings/api-connections/consumers" role="search">
            {Html.Hidden("lang", t.Language)}
            <label for="search">{Html.E(t["consumers.search"])}</label>
            <input id="search" name="search" type="text" value="{Html.E(search)}" maxlength="100">
            <button type="submit" class="secondary">{Html.E(t["consumers.search.button"])}</button>
            </form>
            <a href="/settings/api-connections/consumers/new?lang={t.Language}" id="new-consumer" aria-label="{Html.E(t["consumers.new"])}"><button type="button">(+) {Html.E(t["consumers.new"])}</button></a>
            </div>
            <div class="table-wrap"><table id="consumers">
            <thead><tr><th></th><th>{Html.E(t["consumers.name"])}</th><th>{Html.E(t["consumers.key"])}</th><th>{Html.E(t["consumers.secret"])}</th><th>{Html.E(t["consumers.type"])}</th><th>{Html.E(t["consumers.created"])}</th></tr></thead>
            <tbody>{(page.Items.Count == 0 ? $"<tr><td colspan=\"6\">{Html.E(t["consumers.empty"])}</td></tr>" : rows.ToString())}</tbody>
            </table></div>
            <p id="showing">{Html.E(showing)}</p>
            <div class="toolbar">
            <form method="post" action="/settings/api-connections/delete-consumers" id="bulk-delete" data-confirm="{Html.E(t["consumers.delete.selected"])}?">
            {Html.Hidden(Csrf.FormField, token)}{Html.Hidden("lang", t.Language)}
            <button type="submit" class="danger" id="delete-selected">{Html.E(t["consumers.delete.selected"])}</button>
            </form>
            {next}
            </div>
            """, user.Email));
    }
}
