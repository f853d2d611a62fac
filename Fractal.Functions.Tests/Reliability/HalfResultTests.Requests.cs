using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Fractal.Functions.Consumers;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Maintenance.Stores.WorkOrders;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Cut = Fractal.Functions.Tests.Infrastructure.StorageFaultInjector.Cut;

namespace Fractal.Functions.Tests.Reliability;

/// <summary>The HTTP requests the cut operations send, and the class fixture (its own Azurite, vault and injector).</summary>
public sealed partial class HalfResultTests
{
    private static object ConsumerBody(string name) => new
    {
        name, description = "Creado bajo corte", client_type = "confidential", callback_urls = new[] { TestTenant.ClientCallback },
        privacy_policy_url = "https://example.com/privacy", permission_group = "viewer",
    };

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, string? tag, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (tag is not null) request.Headers.Add(StorageFaultInjector.Header, tag);
        if (body is not null) request.Content = JsonContent.Create(body);
        return app.App.Http.SendAsync(request);
    }

    private Task<HttpResponseMessage> PostTokenAsync(string tag, Dictionary<string, string> form)
    {
        form["client_id"] = app.Tenant.ClientId;
        form["client_secret"] = app.Tenant.ClientSecret;
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(StorageFaultInjector.Header, tag);
        return app.App.Http.SendAsync(request);
    }

    private async Task<Answer> CallToolAsync(string token, string? tag, string tool, string arguments) =>
        await Answer.ReadAsync(await SendToolAsync(token, tag, tool, arguments));

    private Task<HttpResponseMessage> SendToolAsync(string token, string? tag, string tool, string arguments)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, McpPath)
        {
            Content = new StringContent($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{{\"name\":\"{tool}\",\"arguments\":{arguments}}}}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        if (tag is not null) request.Headers.Add(StorageFaultInjector.Header, tag);
        return app.App.Http.SendAsync(request);
    }

    private static void AssertToolSucceeded(Answer answer)
    {
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.DoesNotContain("\"error\":", answer.Body);
        Assert.DoesNotContain("\"isError\":true", answer.Body);
    }

    private static string Snippet(string body) => body.Length > 200 ? body[..200] : body;


    /// <summary>One app for the class, with its own Azurite and vault (so every secret in the vault is this test's), and the injector.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private Azurite _azurite = null!;
        public FakeKeyVault Vault { get; private set; } = null!;
        public TestApp App { get; private set; } = null!;
        public TestTenant Tenant { get; private set; } = null!;
        public StorageFaultInjector Injector { get; private set; } = null!;
        public IServiceProvider Services => App.Services;
        public TokenClient Client => new(App, Tenant.ClientId, Tenant.ClientSecret);

        public async Task InitializeAsync()
        {
            _azurite = await Azurite.StartAsync();
            Vault = await FakeKeyVault.StartAsync();
            StorageFaultInjector? injector = null;
            App = await TestApp.StartAsync(azurite: _azurite, vault: Vault, services: s => injector = StorageFaultInjector.AddTo(s, Vault));
            Injector = injector!;
            Tenant = await TestTenant.CreateAsync(App);
            var assets = Services.GetRequiredService<IAssetService>();
            foreach (var asset in new[]
                     {
                         new NewAsset("S1", "Planta de prueba", AssetKind.Location, AssetLevel.Site, null, 1),
                         new NewAsset("EQ1", "Compresor N°2", AssetKind.Equipment, AssetLevel.Equipment, "S1", 1),
                     })
                Assert.True((await assets.CreateAsync(Tenant.Id, asset)).IsSuccess);
        }

        public async Task<string> AdminApiTokenAsync()
        {
            var requests = new OAuthRequests(App);
            var tokens = await OAuthFlow.TokensAsync(App, Tenant, Tenant.Admin, p => { p["resource"] = requests.ApiResource; p["scope"] = "api_connections user_administration audit_read"; });
            return tokens["access_token"]!.GetValue<string>();
        }

        public async Task<string> McpTokenAsync() =>
            (await OAuthFlow.TokensAsync(App, Tenant, Tenant.Supervisor))["access_token"]!.GetValue<string>();

        public async Task<TestUser> NewUserAsync(string role)
        {
            var email = $"{role}-{Guid.NewGuid():N}@test.example";
            var password = "Pw-" + Guid.NewGuid().ToString("N");
            var (_, user) = await Services.GetRequiredService<Fractal.Functions.Identity.Users.UserStore>().CreateAsync(Tenant.Id, email, "Persona", role, password);
            return new TestUser(user!.UserId, email, password, role);
        }

        public async Task DisposeAsync()
        {
            await App.DisposeAsync();
            await Vault.DisposeAsync();
            await _azurite.DisposeAsync();
        }
    }
}
