using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.OAuth.Registration;

/// <summary>A dynamically registered client (no tenant) through the whole code flow, and each tenant's rules for it.</summary>
public sealed class DynamicClientFlowTests
{
    [Theory]
    [InlineData("client_secret_post", TokenClient.Auth.Post)]
    [InlineData("client_secret_basic", TokenClient.Auth.Basic)]
    public async Task A_registered_confidential_client_completes_the_code_flow_and_refreshes(string method, TokenClient.Auth auth)
    {
        var (app, _) = await RegistrationApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var (clientId, secret) = await Register.ClientAsync(app, method);

        var code = await OAuthFlow.CodeAsync(app, tenant, tenant.Technician, clientId);
        var client = new TokenClient(app, clientId, secret);
        var (exchanged, tokens) = await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri, auth);
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        var validation = await app.ValidateAsync(tokens!["access_token"]!.GetValue<string>(), code.Requests.McpResource);
        Assert.True(validation.IsValid);
        Assert.Equal(tenant.Technician.UserId, validation.Claims!.Subject);

        // The grant took the signing-in user's tenant.
        var (refreshed, _) = await client.RefreshAsync(tokens["refresh_token"]!.GetValue<string>(), auth);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);

        // A wrong secret is still refused.
        var (wrong, wrongBody) = await new TokenClient(app, clientId, "not-the-secret").RefreshAsync(tokens["refresh_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("invalid_client", wrongBody!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_client_of_no_tenant_asking_for_the_admin_api_is_invalid_target_before_anyone_signs_in()
    {
        var (app, documents) = await RegistrationApp.Shared;
        var (dynamicId, _) = await Register.ClientAsync(app);
        var documentId = documents.NewUrl();
        documents.ServeJson(documentId, MetadataDocumentServer.Document(documentId, "Document Client"));
        var requests = new OAuthRequests(app);

        foreach (var clientId in new[] { dynamicId, documentId })
        {
            var parameters = requests.Parameters(clientId, TestTenant.ClientCallback);
            parameters["resource"] = requests.ApiResource;
            parameters["scope"] = "api_connections";
            // No session: a usable request would be sent to sign-in; this one goes straight back to the client.
            using var response = await app.Http.GetAsync(OAuthRequests.AuthorizeUrl(parameters));
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.StartsWith(TestTenant.ClientCallback, response.Headers.Location!.ToString());
            var answer = OAuthRequests.RedirectParameters(response);
            Assert.Equal("invalid_target", answer["error"]);
            Assert.Equal("xyz-state", answer["state"]);
        }
    }

    [Theory]
    [InlineData("Test Connector")]
    [InlineData("  test   CONNECTOR ")]
    [InlineData("TestConnector")]
    [InlineData("Tést Connéctor")]
    public async Task A_dynamic_client_named_like_one_of_the_tenants_consumers_is_refused_at_consent(string name)
    {
        var (app, _) = await RegistrationApp.Shared;
        var tenant = await TestTenant.CreateAsync(app); // its consumer is "Test Connector"
        var metadata = Register.ClaudeLike();
        metadata["client_name"] = name;
        var (registered, body) = await Register.PostAsync(app, metadata);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var clientId = body!["client_id"]!.GetValue<string>();

        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Viewer);
        using var consent = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(new OAuthRequests(app).Parameters(clientId, TestTenant.ClientCallback)));
        Assert.Equal(HttpStatusCode.Forbidden, consent.StatusCode);
        var html = await consent.Content.ReadAsStringAsync();
        Assert.Contains("calls itself by the name of one of your account", html);
        Assert.DoesNotContain("name=\"decision\"", html);
        Assert.Null(consent.Headers.Location);

        // A name that only contains the consumer's is not an imitation.
        metadata["client_name"] = name + " helper";
        var (_, helper) = await Register.PostAsync(app, metadata);
        using var allowed = await browser.ConsentAsync(OAuthRequests.AuthorizeUrl(new OAuthRequests(app).Parameters(helper!["client_id"]!.GetValue<string>(), TestTenant.ClientCallback)));
        Assert.True(OAuthRequests.RedirectParameters(allowed).ContainsKey("code"));
    }

    [Fact]
    public async Task A_registered_public_client_completes_the_code_flow_with_pkce_alone()
    {
        var (app, _) = await RegistrationApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var (clientId, secret) = await Register.ClientAsync(app, "none");
        Assert.Null(secret);

        var code = await OAuthFlow.CodeAsync(app, tenant, clientId: clientId);
        var (exchanged, tokens) = await new TokenClient(app, clientId, null).ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri, TokenClient.Auth.None);
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        Assert.NotNull(tokens!["refresh_token"]);

        // A public client's code is still bound to its PKCE verifier.
        var other = await OAuthFlow.CodeAsync(app, tenant, clientId: clientId);
        var (refused, body) = await new TokenClient(app, clientId, null).ExchangeAsync(other.Code, code.Requests.Verifier, other.RedirectUri, TokenClient.Auth.None);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_grant", body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_redirect_uri_the_client_did_not_register_shows_an_error_page_and_never_redirects()
    {
        var (app, _) = await RegistrationApp.Shared;
        var (clientId, _) = await Register.ClientAsync(app);
        var requests = new OAuthRequests(app);
        using var response = await app.Http.GetAsync(OAuthRequests.AuthorizeUrl(requests.Parameters(clientId, "https://attacker.example/cb")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task A_self_registered_clients_admin_api_grant_from_before_the_mcp_only_rule_cannot_be_refreshed()
    {
        var (app, _) = await RegistrationApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var (clientId, secret) = await Register.ClientAsync(app);
        var tokens = await TokensAsync(app, tenant, clientId, secret, tenant.Admin);
        // A grant given before dynamic clients were held to the MCP resource (issue 24 #14): its family names the admin API.
        var family = Assert.Single(await app.Services.GetRequiredService<TokenFamilyStore>().ListForGrantAsync(tenant.Id, tenant.Admin.UserId, clientId));
        family.Resource = new OAuthRequests(app).ApiResource;
        Assert.True((await app.Services.GetRequiredService<TableStore>().TryReplaceAsync(TableNames.Grants, family, family.ETag)).Succeeded);

        var (refresh, body) = await new TokenClient(app, clientId, secret).RefreshAsync(tokens["refresh_token"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("invalid_grant", body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_tenant_that_blocks_dynamic_clients_refuses_them_at_consent_and_at_the_token_endpoint()
    {
        var (app, _) = await RegistrationApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var (clientId, secret) = await Register.ClientAsync(app);
        var tokens = await TokensAsync(app, tenant, clientId, secret);
        var pending = await OAuthFlow.CodeAsync(app, tenant, clientId: clientId);

        await RegistrationApp.SetTenantRulesAsync(app, tenant.Id, allowDynamic: false);

        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Viewer);
        using var consent = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(new OAuthRequests(app).Parameters(clientId, TestTenant.ClientCallback)));
        Assert.Equal(HttpStatusCode.Forbidden, consent.StatusCode);
        Assert.Contains("does not allow this application", await consent.Content.ReadAsStringAsync());

        var client = new TokenClient(app, clientId, secret);
        var (refresh, refreshBody) = await client.RefreshAsync(tokens["refresh_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("unauthorized_client", refreshBody!["error"]!.GetValue<string>());
        var (exchange, exchangeBody) = await client.ExchangeAsync(pending.Code, pending.Requests.Verifier, pending.RedirectUri);
        Assert.Equal(HttpStatusCode.BadRequest, exchange.StatusCode);
        Assert.Equal("unauthorized_client", exchangeBody!["error"]!.GetValue<string>());

        // Another tenant's people are not affected by this tenant's block.
        var other = await TestTenant.CreateAsync(app);
        Assert.NotNull((await TokensAsync(app, other, clientId, secret))["access_token"]);

        // Allowing again lets the blocked tenant's connection refresh.
        await RegistrationApp.SetTenantRulesAsync(app, tenant.Id, allowDynamic: true);
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(tokens["refresh_token"]!.GetValue<string>())).Response.StatusCode);
    }

    [Fact]
    public async Task A_dynamic_client_appears_in_the_tenants_consumers_list_marked_dynamic_once_one_of_its_people_authorized_it()
    {
        var (app, _) = await RegistrationApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var bystander = await TestTenant.CreateAsync(app);
        var (clientId, secret) = await Register.ClientAsync(app);

        Assert.DoesNotContain(clientId, await ConsumersPageAsync(app, tenant));
        await TokensAsync(app, tenant, clientId, secret);
        await TokensAsync(app, tenant, clientId, secret, tenant.Supervisor); // a second person: still one entry

        var page = await ConsumersPageAsync(app, tenant);
        Assert.Contains($"<code>{clientId}</code>", page);
        Assert.Contains("data-kind=\"dynamic\"", page);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, $"<code>{clientId}</code>"));
        Assert.Contains("Showing 2 of 2", page); // the tenant's own consumer and this client
        Assert.DoesNotContain(clientId, await ConsumersPageAsync(app, bystander));

        // The admin API lists it with its kind.
        var requests = new OAuthRequests(app);
        var apiToken = (await OAuthFlow.TokensAsync(app, tenant, tenant.Admin, p => { p["resource"] = requests.ApiResource; p["scope"] = "api_connections"; }))["access_token"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/consumers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiToken);
        using var response = await app.Http.SendAsync(request);
        var items = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]!.AsArray();
        var item = items.Single(i => i!["client_id"]!.GetValue<string>() == clientId)!;
        Assert.Equal("dynamic", item["kind"]!.GetValue<string>());
        Assert.Equal("Claude", item["name"]!.GetValue<string>());
        Assert.Equal("consumer", items.Single(i => i!["client_id"]!.GetValue<string>() == tenant.ClientId)!["kind"]!.GetValue<string>());
    }

    internal static async Task<JsonNode> TokensAsync(TestApp app, TestTenant tenant, string clientId, string? secret, TestUser? user = null)
    {
        var code = await OAuthFlow.CodeAsync(app, tenant, user, clientId);
        var (response, body) = await new TokenClient(app, clientId, secret).ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri,
            secret is null ? TokenClient.Auth.None : TokenClient.Auth.Post);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Code exchange answered {(int)response.StatusCode}: {body}");
        return body!;
    }

    internal static async Task<string> ConsumersPageAsync(TestApp app, TestTenant tenant)
    {
        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Admin);
        return await browser.Http.GetStringAsync("/settings/api-connections/consumers?lang=en");
    }
}
