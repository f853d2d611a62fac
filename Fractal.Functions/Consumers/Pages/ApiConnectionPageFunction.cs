using Fractal.Functions.Admin;
using Fractal.Functions.Hosting;
using Fractal.Functions.Identity;
using Fractal.Functions.OAuth;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Consumers.Pages;

/// <summary><c>GET /settings/api-connections</c>: what a person pastes into ChatGPT or Claude, with copy buttons and the steps.</summary>
public sealed class ApiConnectionPageFunction(
    AdminAccess access, PublicUrls urls, Identity.Tenants.TenantStore tenants, Csrf csrf, Microsoft.Extensions.Options.IOptions<Hosting.Options.RegistrationOptions> registration)
{
    public static readonly string[] ClaudeCallbacks = ["https://claude.ai/api/mcp/auth_callback", "https://claude.com/api/mcp/auth_callback"];
    public const string ChatGptCallback = "https://chatgpt.com/connector_platform_oauth_redirect";

    [Function("ApiConnectionPage")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "settings/api-connections")] HttpRequest request)
    {
        var (user, refusal) = await access.ForPageAsync(request, Permissions.ApiConnectionsManage);
        if (user is null) return refusal!;
        var t = Texts.For(request);
        var baseUrl = urls.BaseUrl(request);
        var profile = await tenants.FindAsync(user.Tenant, request.HttpContext.RequestAborted);
        var enabled = profile?.McpEnabled != false;
        var server = registration.Value;
        var hostsError = request.Query["registration_error"] == "hosts"
            ? $"<p class=\"error\" role=\"alert\" id=\"registration-error\">{Html.E(t["registration.hosts.invalid"])}</p>" : "";
        var token = await csrf.IssueAsync(request.HttpContext, request.HttpContext.RequestAborted);
        return new PageResult(200, nonce => AdminLayout.Render(t, nonce, AdminLayout.Tab.Connection, $"""
            <h1>{Html.E(t["admin.tab.connection"])}</h1>
            <p>{Html.E(t["connection.intro"])}</p>
            <label>{Html.E(t["connection.mcp"])}</label>{AdminLayout.Copyable(t, "mcp-url", OAuthResources.Mcp(baseUrl))}
            <label>{Html.E(t["connection.authorize"])}</label>{AdminLayout.Copyable(t, "authorize-url", baseUrl + "/oauth/authorize")}
            <label>{Html.E(t["connection.token"])}</label>{AdminLayout.Copyable(t, "token-url", baseUrl + "/oauth/token")}
            <label>{Html.E(t["connection.callback.chatgpt"])}</label>{AdminLayout.Copyable(t, "callback-chatgpt", ChatGptCallback)}
            <label>{Html.E(t["connection.callback.claude"])}</label>{AdminLayout.Copyable(t, "callback-claude-ai", ClaudeCallbacks[0])}{AdminLayout.Copyable(t, "callback-claude-com", ClaudeCallbacks[1])}
            <h2>{Html.E(t["connection.steps"])}</h2>
            <ol><li>{Html.E(t["connection.step1"])}</li><li>{Html.E(t["connection.step2"])}</li><li>{Html.E(t["connection.step3"])}</li><li>{Html.E(t["connection.step4"])}</li></ol>
            <h2>{Html.E(t["mcp.switch.title"])}</h2>
            <p id="mcp-state">{Html.E(t[enabled ? "mcp.switch.on" : "mcp.switch.off"])}</p>
            <form method="post" action="/settings/api-connections/mcp-access">{Html.Hidden(Csrf.FormField, token)}{Html.Hidden("lang", t.Language)}{Html.Hidden("enabled", enabled ? "false" : "true")}
            <button type="submit" id="mcp-switch" class="{(enabled ? "danger" : "")}">{Html.E(t[enabled ? "mcp.switch.turnoff" : "mcp.switch.turnon"])}</button></form>
            <h2 id="registration">{Html.E(t["registration.title"])}</h2>
            <p>{Html.E(t["registration.intro"])}</p>
            <ul id="registration-server">
            <li>{Html.E(t[server.DynamicClientsEnabled ? "registration.server.dynamic.on" : "registration.server.dynamic.off"])}</li>
            <li>{Html.E(t[server.MetadataDocumentsEnabled ? "registration.server.documents.on" : "registration.server.documents.off"])}</li>
            </ul>
            {hostsError}
            <form method="post" action="/settings/api-connections/client-registration">{Html.Hidden(Csrf.FormField, token)}{Html.Hidden("lang", t.Language)}
            <label class="check"><input type="checkbox" id="allow-dynamic" name="dynamic" value="allow"{(profile?.DynamicClientsAllowed != false ? " checked" : "")}> {Html.E(t["registration.dynamic.allow"])}</label>
            <label for="metadata-hosts">{Html.E(t["registration.hosts"])}</label>
            <input id="metadata-hosts" name="hosts" type="text" maxlength="2000" value="{Html.E(profile?.MetadataDocumentHosts ?? Identity.Tenants.TenantEntity.DefaultMetadataDocumentHosts)}">
            <p class="muted">{Html.E(t["registration.hosts.help"])}</p>
            <button type="submit" id="save-registration">{Html.E(t["registration.save"])}</button></form>
            """, user.Email));
    }
}
