using System.Text;
using Fractal.Functions.Admin;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.Storage;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Identity.UserAdmin;

/// <summary>
/// <c>/settings/users</c> (users.manage): GET lists people (search by email prefix, pages of 25) with a
/// create form; POST creates a user with a role and shows the temporary password once.
/// </summary>
public sealed class UsersPageFunction(AdminAccess access, UserStore users, UserAdminService admin, TenantStore tenants, Csrf csrf)
{
    public const int PageSize = 25;

    [Function("UsersPage")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "settings/users")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        if (HttpMethods.IsGet(request.Method))
        {
            var (viewer, refusal) = await access.ForPageAsync(request, Permissions.UsersManage);
            if (viewer is null) return refusal!;
            return await RenderAsync(request, viewer.Tenant, viewer.UserId, viewer.Email, Texts.For(request), 200, null, null, null, ct);
        }
        var (user, form, postRefusal) = await access.ForPagePostAsync(request, Permissions.UsersManage);
        if (user is null) return postRefusal!;
        var t = Texts.For(request, form!["lang"]);
        var change = await admin.CreateAsync(user.AsAdmin(), form["email"].ToString(), form["display_name"].ToString(), form["role"].ToString(), null, ct);
        return change.Succeeded
            ? await RenderAsync(request, user.Tenant, user.UserId, user.Email, t, 200, t.Format("users.temporary", change.User!.Email), change.TemporaryPassword, null, ct)
            : await RenderAsync(request, user.Tenant, user.UserId, user.Email, t, 400, null, null, (change.Errors, form), ct);
    }

    private async Task<IResult> RenderAsync(HttpRequest request, TenantId tenant, string selfId, string email, Texts t, int status, string? notice, string? secret,
        (IReadOnlyDictionary<string, string> Errors, IFormCollection Form)? failed, CancellationToken ct)
    {
        var search = request.Query["search"].ToString();
        TablePage<UserListEntity> page;
        try
        {
            page = await users.ListAsync(tenant, search, PageSize, request.Query["cursor"], ct);
        }
        catch (InvalidCursorException)
        {
            return RedirectTo.Found($"/settings/users?lang={t.Language}");
        }
        var roles = await tenants.ListRolesAsync(tenant, ct);
        var token = await csrf.IssueAsync(request.HttpContext, ct);
        string RoleOptions(string selected) => string.Concat(roles.Select(r => $"<option value=\"{Html.E(r.RoleId)}\"{(r.RoleId == selected ? " selected" : "")}>{Html.E(r.Name)}</option>"));
        string Action(string id, string action, string label, string css, string extra = "") =>
            $"<form method=\"post\" action=\"/settings/users/{Uri.EscapeDataString(id)}\" class=\"inline\">{Html.Hidden(Csrf.FormField, token)}{Html.Hidden("lang", t.Language)}{Html.Hidden("action", action)}{extra}<button type=\"submit\" class=\"{css} {action}\">{Html.E(t[label])}</button></form>";

        var rows = new StringBuilder();
        foreach (var u in page.Items)
        {
            var self = u.UserId == selfId;
            rows.Append($"""
                <tr data-user="{Html.E(u.UserId)}"><td>{Html.E(u.Email)}</td><td>{Html.E(u.DisplayName)}</td>
                <td>{(self ? Html.E(u.RoleId) : Action(u.UserId, "role", "users.save.role", "secondary", $"<select name=\"role\" aria-label=\"{Html.E(t["users.role"])}\">{RoleOptions(u.RoleId)}</select> "))}</td>
                <td class="status">{Html.E(t[u.Enabled ? "users.enabled" : "users.disabled"])}</td>
                <td>{(self ? "" : Action(u.UserId, u.Enabled ? "disable" : "enable", u.Enabled ? "users.disable" : "users.enable", u.Enabled ? "danger" : "") + " " + Action(u.UserId, "reset", "users.reset", "secondary"))}</td></tr>
                """);
        }
        string Error(string field) => failed?.Errors.TryGetValue(field, out var key) == true ? $"<p class=\"field-error\" id=\"error-{field}\">{Html.E(t[key])}</p>" : "";
        string Typed(string field) => Html.E(failed?.Form[field].ToString());
        var next = page.NextCursor is null ? "" : $"<a id=\"next-page\" href=\"/settings/users?lang={t.Language}&search={Uri.EscapeDataString(search)}&cursor={Uri.EscapeDataString(page.NextCursor)}\">{Html.E(t["consumers.next"])}</a>";
        return new PageResult(status, nonce => PageLayout.Render(t.Language, t["users.title"], nonce, $"""
            <p class="muted">{Html.E(t["admin.settings"])} › {Html.E(t["users.title"])} · {Html.E(email)}</p>
            <h1>{Html.E(t["users.title"])}</h1>
            {(notice is null ? "" : $"<p role=\"status\">{Html.E(notice)}</p><div class=\"copyable\"><code id=\"temporary-password\">{Html.E(secret)}</code></div>")}
            <form method="get" action="/settings/users" role="search">{Html.Hidden("lang", t.Language)}<label for="search">{Html.E(t["users.search"])}</label>
            <input id="search" name="search" type="text" value="{Html.E(search)}"> <button type="submit" class="secondary">{Html.E(t["consumers.search.button"])}</button></form>
            <div class="table-wrap"><table id="users"><thead><tr><th>{Html.E(t["users.email"])}</th><th>{Html.E(t["users.name"])}</th><th>{Html.E(t["users.role"])}</th><th>{Html.E(t["users.status"])}</th><th></th></tr></thead>
            <tbody>{rows}</tbody></table></div>
            {next}
            <h2>{Html.E(t["users.create"])}</h2>
            <form method="post" action="/settings/users" id="create-user">{Html.Hidden(Csrf.FormField, token)}{Html.Hidden("lang", t.Language)}
            <label for="new-email">{Html.E(t["users.email"])}</label><input id="new-email" name="email" type="email" value="{Typed("email")}" required>{Error("email")}
            <label for="new-name">{Html.E(t["users.name"])}</label><input id="new-name" name="display_name" type="text" value="{Typed("display_name")}" required>{Error("display_name")}
            <label for="new-role">{Html.E(t["users.role"])}</label><select id="new-role" name="role">{RoleOptions(failed?.Form["role"].ToString() ?? DefaultRoles.Technician)}</select>{Error("role")}
            <div class="actions"><button type="submit" id="create">{Html.E(t["users.create"])}</button></div>
            </form>
            """, wide: true));
    }
}

/// <summary><c>POST /settings/users/{id}</c>: change role, disable, enable or reset the password of one user.</summary>
public sealed class UserActionPageFunction(AdminAccess access, UserAdminService admin)
{
    [Function("UserActionPage")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "settings/users/{id}")] HttpRequest request, string id)
    {
        var (user, form, refusal) = await access.ForPagePostAsync(request, Permissions.UsersManage);
        if (user is null) return refusal!;
        var ct = request.HttpContext.RequestAborted;
        var t = Texts.For(request, form!["lang"]);
        var acting = user.AsAdmin();
        UserChange? change = form["action"].ToString() switch
        {
            "role" => await admin.UpdateAsync(acting, id, form["role"].ToString(), null, ct),
            "disable" => await admin.UpdateAsync(acting, id, null, false, ct),
            "enable" => await admin.UpdateAsync(acting, id, null, true, ct),
            "reset" => await admin.ResetPasswordAsync(acting, id, ct),
            _ => UserChange.Failed("action", "error.notfound"),
        };
        if (change is null) return ErrorPage.Create(StatusCodes.Status404NotFound, t, t["error.notfound"]);
        if (!change.Succeeded) return ErrorPage.Create(StatusCodes.Status400BadRequest, t, t[change.Errors.Values.First()], $"/settings/users?lang={t.Language}", t["users.title"]);
        if (change.TemporaryPassword is not null)
        {
            return new PageResult(200, nonce => PageLayout.Render(t.Language, t["users.title"], nonce, $"""
                <h1>{Html.E(t["users.reset"])}</h1>
                <p>{Html.E(t.Format("users.temporary", change.User!.Email))}</p>
                <div class="copyable"><code id="temporary-password">{Html.E(change.TemporaryPassword)}</code></div>
                <p><a href="/settings/users?lang={t.Language}">{Html.E(t["users.title"])}</a></p>
                """));
        }
        return RedirectTo.SeeOther($"/settings/users?lang={t.Language}");
    }
}
