using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Fractal.Functions.Consumers;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Demo;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Mcp;
using Fractal.Functions.OAuth;
using Fractal.Functions.OAuth.Grants;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Benchmarks.Infrastructure;

/// <summary>
/// A tenant with the demo plant (optional), an administrator and a confidential consumer, made through the
/// app's own stores; codes are issued as the consent page issues them and exchanged over HTTP.
/// </summary>
public sealed class BenchPlant(BenchHost host, TenantId tenant, string userId, string clientId, string clientSecret)
{
    public const string Callback = "https://client.example/oauth/callback";

    public TenantId Tenant => tenant;
    public string UserId => userId;
    public string ClientId => clientId;
    public string ClientSecret => clientSecret;
    public string? Folio { get; private set; }
    /// <summary>The demo plant's load into this fresh tenant (when loaded).</summary>
    public DemoLoadResult? DemoLoad { get; private set; }
    public HttpClient Http { get; } = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(host.BaseUrl) };

    public static async Task<BenchPlant> CreateAsync(BenchHost host, bool loadDemoPlant)
    {
        var sp = host.Services;
        var tenant = TenantId.New();
        await sp.GetRequiredService<TenantStore>().TryCreateAsync(tenant, "Bench plant", "America/Santiago");
        var (_, user) = await sp.GetRequiredService<UserStore>().CreateAsync(tenant, $"admin-{Guid.NewGuid():N}@bench.example", "Bench admin",
            DefaultRoles.Administrator, "Pw-" + Guid.NewGuid().ToString("N"));
        var consumer = await sp.GetRequiredService<ConsumerStore>().CreateAsync(tenant, new ConsumerDraft(
            "Bench Connector", "A consumer for benchmarks", ClientTypes.Confidential, [Callback],
            "https://client.example", "https://client.example/privacy", "https://client.example/eula", DefaultRoles.Viewer));
        var plant = new BenchPlant(host, tenant, user!.UserId, consumer.Consumer.ClientId, consumer.Secret!);
        if (loadDemoPlant)
        {
            // The pinned plant, whatever the day: runs compare with each other and KpiCase asks for its period.
            plant.DemoLoad = await sp.GetRequiredService<DemoPlantLoader>().LoadAsync(tenant, DemoPlant.ReferenceDay, CancellationToken.None);
            var page = await sp.GetRequiredService<IWorkOrderService>().ListAsync(tenant, new WorkOrderQuery(), new PageRequest(1, null));
            plant.Folio = page.Value.Items[0].Folio;
        }
        return plant;
    }

    /// <summary>A code as the consent page issues it, with its PKCE verifier.</summary>
    public async Task<(string Code, string Verifier)> CodeAsync()
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var code = await host.Services.GetRequiredService<GrantStore>().IssueCodeAsync(new ApprovedRequest(tenant, userId, clientId, Callback, true,
            Pkce.Challenge(verifier), host.McpUrl, [Scopes.MaintenanceRead, Scopes.MaintenanceWrite, Scopes.OfflineAccess]));
        return (code, verifier);
    }

    public FormUrlEncodedContent ExchangeForm(string code, string verifier) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "authorization_code", ["code"] = code, ["code_verifier"] = verifier, ["redirect_uri"] = Callback,
        ["client_id"] = clientId, ["client_secret"] = clientSecret,
    });

    public FormUrlEncodedContent RefreshForm(string refreshToken) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = clientId, ["client_secret"] = clientSecret,
    });

    /// <summary>Consent + code exchange: access and refresh token.</summary>
    public async Task<(string Access, string Refresh)> TokensAsync()
    {
        var (code, verifier) = await CodeAsync();
        var body = await PostTokenAsync(ExchangeForm(code, verifier));
        return (body["access_token"]!.GetValue<string>(), body["refresh_token"]!.GetValue<string>());
    }

    public async Task<JsonNode> PostTokenAsync(FormUrlEncodedContent form, string? op = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token") { Content = form };
        if (op is not null) request.Headers.Add("X-Bench-Op", op);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"/oauth/token answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>The principal our endpoint builds for this administrator with full scopes (the baseline's fixed user).</summary>
    public async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync()
    {
        var standing = await host.Services.GetRequiredService<UserPermissions>().GetAsync(tenant, userId, CancellationToken.None);
        return new McpCaller(tenant, userId, clientId, McpScopes.Effective(standing.Permissions, [Scopes.MaintenanceRead, Scopes.MaintenanceWrite])).ToPrincipal();
    }
}
