using System.Text;
using Fractal.Functions.Admin;
using Fractal.Functions.Audit;
using Fractal.Functions.Consumers;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Storage;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Identity.Account;

/// <summary><c>GET /account/connected-apps</c>: the apps this person authorized, their devices (token families) and last use.</summary>
public sealed class ConnectedAppsPageFunction(AdminAccess access, GrantStore grants, ConsumerStore consumers, TokenFamilyStore families, Csrf csrf)
{
    [Function("ConnectedAppsPage")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "account/connected-apps")] HttpRequest request)
    {
        var (user, refusal) = await access.ForPageAsync(request, permission: null);
        if (user is null) return refusal!;
        var ct = request.HttpContext.RequestAborted;
        var t = Texts.For(request);
        var token = await csrf.IssueAsync(request.HttpContext, ct);
        var html = new StringBuilder();
        var apps = 0;
        await foreach (var grant in grants.AllAsync(user.Tenant, user.UserId, ct))
        {
            apps++;
            var consumer = await consumers.FindAsync(user.Tenant, grant.ClientId, ct);
            var name = consumer?.Name ?? (await consumers.FindLinkedAsync(user.Tenant, grant.ClientId, ct))?.Name ?? grant.ClientId;
            var devices = (await families.ListForGrantAsync(user.Tenant, user.UserId, grant.ClientId, ct)).Where(f => f.RevokedAt is null).ToList();
            html.Append($"""
                <section class="app" data-client="{Html.E(grant.ClientId)}">
                <h2>{Html.E(name)}</h2>
                <p class="muted">{Html.E(grant.Scopes)}</p>
                <p>{Html.E(t["apps.devices"])}: <span class="device-count">{devices.Count}</span></p><ul>
                """);
            foreach (var device in devices)
            {
                html.Append($"""
                    <li>{Html.E(t.Format("apps.device", device.CreatedAt.ToString("yyyy-MM-dd HH:mm"), device.LastUsedAt.ToString("yyyy-MM-dd HH:mm")))}
                    <form method="post" action="/account/connected-apps/revoke-device" class="inline">{Html.Hidden(Csrf.FormField, token)}{Html.Hidden("lang", t.Language)}{Html.Hidden("family", device.FamilyId)}<button type="submit" class="secondary revoke-device">{Html.E(t["apps.revoke.device"])}</button></form></li>
                    """);
            }
            html.Append($"""
                </ul><form method="post" action="/account/connected-apps/revoke">{Html.Hidden(Csrf.FormField, token)}{Html.Hidden("lang", t.Language)}{Html.Hidden("client_id", grant.ClientId)}<button type="submit" class="danger revoke-app">{Html.E(t["apps.revoke.app"])}</button></form>
                </section>
                """);
        }
        return new PageResult(200, nonce => PageLayout.Render(t.Language, t["apps.title"], nonce, $"""
            <h1>{Html.E(t["apps.title"])}</h1>
            <p>{Html.E(t["apps.intro"])}</p>
            {(apps == 0 ? $"<p id=\"no-apps\">{Html.E(t["apps.none"])}</p>" : html.ToString())}
            """, wide: true));
    }
}

/// <summary><c>POST /account/connected-apps/revoke</c>: the person revokes one of their own app authorizations.</summary>
public sealed class RevokeConnectedAppFunction(AdminAccess access, TokenFamilyStore families, GrantStore grants, AuditLog audit)
{
    [Function("RevokeConnectedApp")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "account/connected-apps/revoke")] HttpRequest request)
    {
        var (user, form, refusal) = await access.ForPagePostAsync(request, permission: null);
        if (user is null) return refusal!;
        var ct = request.HttpContext.RequestAborted;
        var clientId = form!["client_id"].ToString();
        // Keyed by the signed-in user's own id: a person can only reach their own grants.
        if (await grants.FindGrantAsync(user.Tenant, user.UserId, clientId, ct) is not null)
        {
            await families.RevokeGrantAsync(user.Tenant, user.UserId, clientId, "revoked by the user", ct);
            await audit.WriteAsync(user.Tenant, new AuditEntry("authorization_revoked", AuditOutcome.Success, user.UserId, clientId, "by the user"), ct);
        }
        return RedirectTo.SeeOther($"/account/connected-apps?lang={Texts.For(request, form["lang"]).Language}");
    }
}

/// <summary><c>POST /account/connected-apps/revoke-device</c>: ends one token family (one device) of the person's own.</summary>
public sealed class RevokeConnectedDeviceFunction(AdminAccess access, TokenFamilyStore families, AuditLog audit)
{
    [Function("RevokeConnectedDevice")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "account/connected-apps/revoke-device")] HttpRequest request)
    {
        var (user, form, refusal) = await access.ForPagePostAsync(request, permission: null);
        if (user is null) return refusal!;
        var ct = request.HttpContext.RequestAborted;
        var familyId = form!["family"].ToString();
        var family = familyId.Length == 32 ? await families.FindAsync(user.Tenant, familyId, ct) : null;
        if (family is not null && family.UserId == user.UserId)
        {
            await families.RevokeAsync(user.Tenant, familyId, "device revoked by the user", ct);
            await audit.WriteAsync(user.Tenant, new AuditEntry("revocation", AuditOutcome.Success, user.UserId, family.ClientId, "one device, by the user"), ct);
        }
        return RedirectTo.SeeOther($"/account/connected-apps?lang={Texts.For(request, form["lang"]).Language}");
    }
}
