using System.Text;
using Fractal.Functions.Admin;
using Fractal.Functions.Identity;
using Fractal.Functions.Storage;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Consumers.Pages;

/// <summary><c>GET /settings/api-connections/app-authorizations</c>: which users authorized which apps, with a revoke button each.</summary>
public sealed class AppAuthorizationsPageFunction(AdminAccess access, AppAuthorizationService authorizations, Csrf csrf)
{
    [Function("AppAuthorizationsPage")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "settings/api-connections/app-authorizations")] HttpRequest request)
    {
        var (user, refusal) = await access.ForPageAsync(request, Permissions.ApiConnectionsManage);
        if (user is null) return refusal!;
        var ct = request.HttpContext.RequestAborted;
        var t = Texts.For(request);
        IReadOnlyList<AppAuthorization> items;
        string? next;
        try
        {
            (items, next) = await authorizations.ListAsync(user.Tenant, request.Query["cursor"], ct);
        }
        catch (InvalidCursorException)
        {
            return RedirectTo.Found($"/settings/api-connections/app-authorizations?lang={t.Language}");
        }
        var token = await csrf.IssueAsync(request.HttpContext, ct);
        var rows = new StringBuilder();
        foreach (var a in items)
        {
            rows.Append($"""
                <tr data-id="{Html.E(a.Id)}"><td>{Html.E(a.UserEmail)}</td><td>{Html.E(a.ConsumerName)}</td><td>{Html.E(a.Scopes)}</td>
                <td class="connections">{a.ActiveConnections}</td><td>{a.CreatedAt:yyyy-MM-dd HH:mm}</td>
                <td>{(a.LastUsedAt is { } used ? used.ToString("yyyy-MM-dd HH:mm") : Html.E(t["authorizations.never"]))}</td>
                <td><form method="post" action="/settings/api-connections/app-authorizations/revoke" class="inline">{Html.Hidden(Csrf.FormField, token)}{Html.Hidden("lang", t.Language)}{Html.Hidden("id", a.Id)}<button type="submit" class="danger">{Html.E(t["authorizations.revoke"])}</button></form></td></tr>
                """);
        }
        var nextLink = next is null ? "" : $"<a id=\"next-page\" href=\"/settings/api-connections/app-authorizations?lang={t.Language}&cursor={Uri.EscapeDataString(next)}\">{Html.E(t["consumers.next"])}</a>";
        return new PageResult(200, nonce => AdminLayout.Render(t, nonce, AdminLayout.Tab.Authorizations, $"""
            <h1>{Html.E(t["admin.tab.authorizations"])}</h1>
            <div class="table-wrap"><table id="authorizations">
            <thead><tr><th>{Html.E(t["authorizations.user"])}</th><th>{Html.E(t["authorizations.app"])}</th><th>{Html.E(t["authorizations.scopes"])}</th><th>{Html.E(t["authorizations.connections"])}</th><th>{Html.E(t["authorizations.created"])}</th><th>{Html.E(t["authorizations.lastused"])}</th><th></th></tr></thead>
            <tbody>{(items.Count == 0 ? $"<tr><td colspan=\"7\">{Html.E(t["consumers.empty"])}</td></tr>" : rows.ToString())}</tbody>
            </table></div>
            {nextLink}
            """, user.Email));
    }
}

/// <summary><c>POST /settings/api-connections/app-authorizations/revoke</c>: revokes one app authorization.</summary>
public sealed class RevokeAppAuthorizationPageFunction(AdminAccess access, AppAuthorizationService authorizations)
{
    [Function("RevokeAppAuthorizationPage")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "settings/api-connections/app-authorizations/revoke")] HttpRequest request)
    {
        var (user, form, refusal) = await access.ForPagePostAsync(request, Permissions.ApiConnectionsManage);
        if (user is null) return refusal!;
        await authorizations.RevokeAsync(user.Tenant, user.UserId, form!["id"].ToString(), request.HttpContext.RequestAborted);
        return RedirectTo.SeeOther($"/settings/api-connections/app-authorizations?lang={Texts.For(request, form["lang"]).Language}");
    }
}
