using Fractal.Functions.Admin;
using Fractal.Functions.Audit;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Consumers.Pages;

/// <summary>
/// <c>POST /settings/api-connections/mcp-access</c>: the tenant's MCP switch. Off: no MCP tokens are
/// issued or refreshed, and MCP calls answer 403 (each instance notices within OAuth:StatusCacheSeconds).
/// </summary>
public sealed class McpAccessSwitchFunction(AdminAccess access, TenantStore tenants, AuditLog audit)
{
    [Function("McpAccessSwitch")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "settings/api-connections/mcp-access")] HttpRequest request)
    {
        var (user, form, refusal) = await access.ForPagePostAsync(request, Permissions.ApiConnectionsManage);
        if (user is null) return refusal!;
        var ct = request.HttpContext.RequestAborted;
        var enable = form!["enabled"] == "true";
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var tenant = await tenants.FindAsync(user.Tenant, ct);
            if (tenant is null) break;
            tenant.McpEnabled = enable;
            if ((await tenants.TryUpdateAsync(tenant, ct)).Succeeded) break;
        }
        await audit.WriteAsync(user.Tenant, new AuditEntry("mcp_access", AuditOutcome.Success, user.UserId, Detail: enable ? "turned on" : "turned off"), ct);
        return RedirectTo.SeeOther($"/settings/api-connections?lang={Texts.For(request, form["lang"]).Language}");
    }
}
