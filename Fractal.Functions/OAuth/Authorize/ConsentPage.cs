using System.Text;
using Fractal.Functions.Identity.Sessions;
using Fractal.Functions.OAuth.Clients;
using Fractal.Functions.Web;

namespace Fractal.Functions.OAuth.Authorize;

/// <summary>
/// The consent page: who asks (the consumer's name and, prominently, the host it will send the person
/// back to; for a metadata-document client also the host that vouches for it, since its name is only what
/// its document claims), what it may do in plain words, a choice to leave out write access, the consumer's privacy
/// policy and terms, Allow and Deny.
/// </summary>
internal static class ConsentPage
{
    public static PageResult Render(Texts t, string csrf, ValidAuthorizeRequest request, AuthorizeParameters parameters, SignedInUser user)
    {
        var redirect = new Uri(request.RedirectUri);
        var host = redirect.IsDefaultPort ? redirect.Host : $"{redirect.Host}:{redirect.Port}";
        var scopes = request.Scopes;
        var items = new StringBuilder();
        if (scopes.Contains(Scopes.MaintenanceRead)) items.Append($"<li>{Html.E(t["consent.scope.read"])}</li>");
        if (scopes.Contains(Scopes.MaintenanceWrite)) items.Append($"<li>{Html.E(t["consent.scope.write"])}</li>");
        // Each admin API scope in words naming exactly the routes it opens (AdminApiRoutes).
        if (scopes.Contains(Scopes.ApiConnections)) items.Append($"<li id=\"consent-scope-api\">{Html.E(t["consent.scope.api"])}</li>");
        if (scopes.Contains(Scopes.UserAdministration)) items.Append($"<li id=\"consent-scope-users\">{Html.E(t["consent.scope.users"])}</li>");
        if (scopes.Contains(Scopes.AuditRead)) items.Append($"<li id=\"consent-scope-audit\">{Html.E(t["consent.scope.audit"])}</li>");
        if (scopes.Contains(Scopes.OfflineAccess)) items.Append($"<li>{Html.E(t["consent.scope.offline"])}</li>");

        var hidden = string.Concat(parameters.Present().Select(p => Html.Hidden(p.Key, p.Value)));
        var writeChoice = scopes.Contains(Scopes.MaintenanceWrite)
            ? $"<label class=\"check\"><input type=\"checkbox\" id=\"allow_write\" name=\"allow_write\" value=\"yes\" checked> {Html.E(t["consent.allow.write"])}</label>"
            : "";
        var links = new List<string>();
        if (request.Client.PrivacyPolicyUrl is { } privacy) links.Add($"<a href=\"{Html.E(privacy)}\" rel=\"noopener noreferrer\" target=\"_blank\" id=\"privacy-link\">{Html.E(t["consent.privacy"])}</a>");
        if (request.Client.EulaUrl is { } eula) links.Add($"<a href=\"{Html.E(eula)}\" rel=\"noopener noreferrer\" target=\"_blank\" id=\"eula-link\">{Html.E(t["consent.eula"])}</a>");

        var origin = $"{redirect.Scheme}://{host}";
        var provenance = request.Client.Kind switch
        {
            // The name in a document or a registration is self-asserted; the host serving the document is not.
            ClientKind.MetadataDocument => $"<p class=\"client-host\"><strong id=\"consent-client-host\">{Html.E(t.Format("consent.document.host", request.Client.DocumentHost!))}</strong></p>",
            // As prominent as a document's host: nobody reviewed this client or its name (issue 24 #14).
            ClientKind.Dynamic => $"<p class=\"client-host\"><strong id=\"consent-dynamic\">{Html.E(t["consent.dynamic"])}</strong></p>",
            _ => "",
        };
        return new PageResult(200, nonce => PageLayout.Render(t.Language, t["consent.title"], nonce, $"""
            <h1>{Html.E(t["consent.title"])}</h1>
            <p id="consent-client">{Html.E(t.Format("consent.wants", request.Client.Name))}</p>
            {provenance}
            <p><strong id="consent-redirect-host">{Html.E(t.Format("consent.redirect", host))}</strong></p>
            <p>{Html.E(t["consent.it.can"])}</p>
            <ul class="scopes" id="consent-scopes">{items}</ul>
            <p class="muted">{Html.E(t["consent.own.permissions"])}</p>
            <form method="post" action="/oauth/authorize">
            {Html.Hidden(Csrf.FormField, csrf)}
            {Html.Hidden("lang", t.Language)}
            {hidden}
            {writeChoice}
            <div class="actions">
            <button type="submit" name="decision" value="approve" id="approve">{Html.E(t["consent.approve"])}</button>
            <button type="submit" name="decision" value="deny" id="deny" class="secondary">{Html.E(t["consent.deny"])}</button>
            </div>
            </form>
            {(links.Count > 0 ? $"<p class=\"muted\">{string.Join(" · ", links)}</p>" : "")}
            <p class="muted">{Html.E(t.Format("consent.signedin", user.Email))}</p>
            """), formTargets: [origin]);
    }
}
