using Fractal.Functions.Admin;
using Fractal.Functions.Audit;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Consumers.Pages;

/// <summary>
/// <c>POST /settings/api-connections/client-registration</c>: the tenant's rules for clients of no tenant:
/// allow or block dynamically registered clients, and the allowlist of hosts whose client ID metadata
/// documents its people may authorize. Checked at consent and at every code exchange and refresh.
/// </summary>
public sealed class ClientRegistrationSettingsFunction(AdminAccess access, TenantStore tenants, AuditLog audit)
{
    public const int MaxHosts = 20;

    [Function("ClientRegistrationSettings")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "settings/api-connections/client-registration")] HttpRequest request)
    {
        var (user, form, refusal) = await access.ForPagePostAsync(request, Permissions.ApiConnectionsManage);
        if (user is null) return refusal!;
        var ct = request.HttpContext.RequestAborted;
        var lang = Texts.For(request, form!["lang"]).Language;
        var hosts = ParseHosts(form["hosts"].ToString());
        if (hosts is null) return RedirectTo.SeeOther($"/settings/api-connections?lang={lang}&registration_error=hosts#registration");

        var allowDynamic = form["dynamic"] == "allow";
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var tenant = await tenants.FindAsync(user.Tenant, ct);
            if (tenant is null) break;
            tenant.DynamicClientsAllowed = allowDynamic;
            tenant.MetadataDocumentHosts = string.Join(' ', hosts);
            if ((await tenants.TryUpdateAsync(tenant, ct)).Succeeded) break;
        }
        await audit.WriteAsync(user.Tenant, new AuditEntry("client_registration", AuditOutcome.Success, user.UserId,
            Detail: $"dynamic clients {(allowDynamic ? "allowed" : "blocked")}; metadata document hosts: {(hosts.Count == 0 ? "none" : string.Join(' ', hosts))}"), ct);
        return RedirectTo.SeeOther($"/settings/api-connections?lang={lang}#registration");
    }

    /// <summary>Host names (or IP literals) separated by spaces or commas, lower-cased; null when one is not a host.</summary>
    internal static IReadOnlyList<string>? ParseHosts(string text)
    {
        var hosts = text.Split([' ', ',', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant()).Distinct().ToList();
        return hosts.Count <= MaxHosts && hosts.All(h => h.Length <= 253 && Uri.CheckHostName(h) is UriHostNameType.Dns or UriHostNameType.IPv4) ? hosts : null;
    }
}
