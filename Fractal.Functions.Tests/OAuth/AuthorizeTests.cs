using System.Net;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.OAuth;

public sealed class AuthorizeTests
{
    private static async Task<(TestApp App, TestTenant Tenant, BrowserlessSession Browser, OAuthRequests Requests)> SignedInAsync(string role = "viewer")
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Users[role]);
        return (app, tenant, browser, new OAuthRequests(app));
    }

    private static async Task AssertShownErrorPage(HttpResponseMessage response, string text)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString());
        Assert.Contains(text, await response.Content.ReadAsStringAsync());
    }

    private static void AssertRedirectedError(HttpResponseMessage response, OAuthRequests requests, string redirectUri, string error, string? state = "xyz-state")
    {
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith(redirectUri + "?", response.Headers.Location!.ToString());
        var query = OAuthRequests.RedirectParameters(response);
        Assert.Equal(error, query["error"]);
        Assert.Equal(requests.Issuer, query["iss"]);
        if (state is null) Assert.False(query.ContainsKey("state"));
        else Assert.Equal(state, query["state"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task An_unknown_client_id_shows_an_error_page_and_never_redirects()
    {
        var (_, tenant, browser, requests) = await SignedInAsync();
        var parameters = requests.Parameters("no-such-client", TestTenant.ClientCallback);
        using var response = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(parameters));
        await AssertShownErrorPage(response, "not registered");
    }

    [Fact]
    public async Task A_missing_client_id_shows_an_error_page()
    {
        var (_, _, browser, requests) = await SignedInAsync();
        var parameters = requests.Parameters("x", TestTenant.ClientCallback);
        parameters.Remove("client_id");
        using var response = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(parameters));
        await AssertShownErrorPage(response, "not registered");
    }

    [Theory]
    [InlineData("https://CLIENT.example/oauth/callback")]           // case
    [InlineData("https://client.example/oauth/callback/")]          // trailing slash
    [InlineData("https://client.example/oauth/callback/extra")]     // extra path
    [InlineData("https://client.example/oauth/callback?x=1")]       // query
    [InlineData("https://client.example/oauth/callback#frag")]      // fragment
    [InlineData("http://client.example/oauth/callback")]            // scheme
    [InlineData("https://client.example:8443/oauth/callback")]      // port
    [InlineData("https://evil.example/oauth/callback")]             // host
    public async Task A_redirect_uri_that_differs_from_the_registered_one_shows_an_error_page(string redirectUri)
    {
        var (_, tenant, browser, requests) = await SignedInAsync();
        using var response = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, redirectUri)));
        await AssertShownErrorPage(response, "not registered for it");
    }

    [Theory]
    [InlineData("http://127.0.0.1:51234/callback")]
    [InlineData("http://127.0.0.1:8080/callback")]
    public async Task A_loopback_redirect_uri_may_use_any_port(string redirectUri)
    {
        var (_, tenant, browser, requests) = await SignedInAsync();
        using var response = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, redirectUri)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("name=\"decision\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_loopback_redirect_uri_with_another_path_is_refused()
    {
        var (_, tenant, browser, requests) = await SignedInAsync();
        using var response = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, "http://127.0.0.1:5000/other")));
        await AssertShownErrorPage(response, "not registered for it");
    }

    [Fact]
    public async Task A_missing_code_challenge_is_redirected_as_invalid_request_with_state_and_iss()
    {
        var (_, tenant, browser, requests) = await SignedInAsync();
        var parameters = requests.Parameters(tenant.ClientId, TestTenant.ClientCallback);
        parameters.Remove("code_challenge");
        using var response = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(parameters));
        AssertRedirectedError(response, requests, TestTenant.ClientCallback, "invalid_request");
    }

    [Theory]
    [InlineData("plain")]
    [InlineData(null)]
    [InlineData("S512")]
    public async Task A_code_challenge_method_other_than_S256_is_refused(string? method)
    {
        var (_, tenant, browser, requests) = await SignedInAsync();
        var parameters = requests.Parameters(tenant.ClientId, TestTenant.ClientCallback);
        parameters["code_challenge_method"] = method;
        using var response = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(parameters));
        AssertRedirectedError(response, requests, TestTenant.ClientCallback, "invalid_request");
    }

    [Theory]
    [InlineData("https://other.example/mcp")]
    [InlineData("not a uri")]
    public async Task A_foreign_resource_is_refused_as_invalid_target(string resource)
    {
        var (_, tenant, browser, requests) = await SignedInAsync();
        var parameters = requests.Parameters(tenant.ClientId, TestTenant.ClientCallback);
        parameters["resource"] = resource;
        using var response = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(parameters));
        AssertRedirectedError(response, requests, TestTenant.ClientCallback, "invalid_target");
    }

    [Fact]
    public async Task A_response_type_other_than_code_is_unsupported_response_type()
    {
        var (_, tenant, browser, requests) = await SignedInAsync();
        var parameters = requests.Parameters(tenant.ClientId, TestTenant.ClientCallback);
        parameters["response_type"] = "token";
        using var response = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(parameters));
        AssertRedirectedError(response, requests, TestTenant.ClientCallback, "unsupported_response_type");
    }

    [Theory]
    [InlineData("maintenance.read teleport")]
    [InlineData("api_connections")]
    public async Task An_unknown_scope_or_one_of_the_other_resource_is_invalid_scope(string scope)
    {
        var (_, tenant, browser, requests) = await SignedInAsync();
        var parameters = requests.Parameters(tenant.ClientId, TestTenant.ClientCallback);
        parameters["scope"] = scope;
        using var response = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(parameters));
        AssertRedirectedError(response, requests, TestTenant.ClientCallback, "invalid_scope");
    }

    [Fact]
    public async Task A_repeated_parameter_is_invalid_request()
    {
        var (_, tenant, browser, requests) = await SignedInAsync();
        var url = OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, TestTenant.ClientCallback)) + "&scope=maintenance.read";
        using var response = await browser.Http.GetAsync(url);
        AssertRedirectedError(response, requests, TestTenant.ClientCallback, "invalid_request");
    }

    [Fact]
    public async Task Approving_redirects_with_a_code_state_and_iss_and_stores_the_approved_request()
    {
        var (app, tenant, browser, requests) = await SignedInAsync();
        using var response = await browser.ConsentAsync(OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, TestTenant.ClientCallback)));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.StartsWith(TestTenant.ClientCallback + "?", response.Headers.Location!.ToString());
        var query = OAuthRequests.RedirectParameters(response);
        Assert.Equal("xyz-state", query["state"]);
        Assert.Equal(requests.Issuer, query["iss"]);

        var grants = app.Services.GetRequiredService<GrantStore>();
        var code = await grants.FindCodeAsync(query["code"]);
        Assert.NotNull(code);
        Assert.Equal(tenant.ClientId, code.ClientId);
        Assert.Equal(tenant.Viewer.UserId, code.UserId);
        Assert.Equal(TestTenant.ClientCallback, code.RedirectUri);
        Assert.Equal(requests.Challenge, code.CodeChallenge);
        Assert.Equal(requests.McpResource, code.Resource);
        Assert.Equal("maintenance.read maintenance.write offline_access", code.Scopes);
        Assert.True(code.ExpiresAt - code.IssuedAt == TimeSpan.FromMinutes(5));
        Assert.DoesNotContain(query["code"], code.RowKey);

        var grant = await grants.FindGrantAsync(tenant.Id, tenant.Viewer.UserId, tenant.ClientId);
        Assert.NotNull(grant);
        Assert.Equal(code.Scopes, grant.Scopes);
    }

    [Fact]
    public async Task Leaving_write_access_unticked_grants_read_only_scopes()
    {
        var (app, tenant, browser, requests) = await SignedInAsync();
        using var response = await browser.ConsentAsync(OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, TestTenant.ClientCallback)), allowWrite: false);
        var code = await app.Services.GetRequiredService<GrantStore>().FindCodeAsync(OAuthRequests.RedirectParameters(response)["code"]);
        Assert.Equal("maintenance.read offline_access", code!.Scopes);
    }

    [Fact]
    public async Task Denying_redirects_with_access_denied_state_and_iss_and_issues_no_code()
    {
        var (app, tenant, browser, requests) = await SignedInAsync();
        using var response = await browser.ConsentAsync(OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, TestTenant.ClientCallback)), decision: "deny");
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var query = OAuthRequests.RedirectParameters(response);
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("xyz-state", query["state"]);
        Assert.Equal(requests.Issuer, query["iss"]);
        Assert.Null(await app.Services.GetRequiredService<GrantStore>().FindGrantAsync(tenant.Id, tenant.Viewer.UserId, tenant.ClientId));
    }

    [Fact]
    public async Task A_state_of_4000_characters_comes_back_unchanged()
    {
        var (_, tenant, browser, requests) = await SignedInAsync();
        var state = string.Concat(Enumerable.Repeat("aZ09-._~", 500));
        using var response = await browser.ConsentAsync(OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, TestTenant.ChatGptCallback, state)));
        Assert.Equal(state, OAuthRequests.RedirectParameters(response)["state"]);
    }

    [Fact]
    public async Task A_request_without_scope_gets_the_default_scopes_of_the_mcp_resource()
    {
        var (app, tenant, browser, requests) = await SignedInAsync();
        var parameters = requests.Parameters(tenant.ClientId, TestTenant.ClientCallback);
        parameters.Remove("scope");
        parameters.Remove("resource");
        using var response = await browser.ConsentAsync(OAuthRequests.AuthorizeUrl(parameters));
        var code = await app.Services.GetRequiredService<GrantStore>().FindCodeAsync(OAuthRequests.RedirectParameters(response)["code"]);
        Assert.Equal("maintenance.read maintenance.write offline_access", code!.Scopes);
        Assert.Equal(requests.McpResource, code.Resource);
    }

    [Fact]
    public async Task The_admin_api_resource_with_its_scope_is_accepted()
    {
        var (app, tenant, browser, requests) = await SignedInAsync("administrator");
        var parameters = requests.Parameters(tenant.ClientId, TestTenant.ClientCallback);
        parameters["resource"] = requests.ApiResource;
        parameters["scope"] = "api_connections";
        using var response = await browser.ConsentAsync(OAuthRequests.AuthorizeUrl(parameters));
        var code = await app.Services.GetRequiredService<GrantStore>().FindCodeAsync(OAuthRequests.RedirectParameters(response)["code"]);
        Assert.Equal(requests.ApiResource, code!.Resource);
        Assert.Equal("api_connections", code.Scopes);
    }

    [Fact]
    public async Task The_consent_page_names_exactly_what_each_requested_admin_api_scope_allows()
    {
        var (_, tenant, browser, requests) = await SignedInAsync("administrator");
        var parameters = requests.Parameters(tenant.ClientId, TestTenant.ClientCallback);
        parameters["resource"] = requests.ApiResource;
        parameters["scope"] = "api_connections";
        var apiOnly = await browser.Http.GetStringAsync(OAuthRequests.AuthorizeUrl(parameters));
        Assert.Contains("id=\"consent-scope-api\"", apiOnly);
        Assert.DoesNotContain("consent-scope-users", apiOnly);
        Assert.DoesNotContain("consent-scope-audit", apiOnly);

        parameters["scope"] = "user_administration audit_read";
        var usersAndAudit = await browser.Http.GetStringAsync(OAuthRequests.AuthorizeUrl(parameters));
        Assert.DoesNotContain("consent-scope-api", usersAndAudit);
        Assert.Contains("create, change, disable and delete users, and set their roles and passwords", usersAndAudit);
        Assert.Contains("Read and export the Transactions log", usersAndAudit);
    }

    [Fact]
    public async Task An_admin_api_request_without_scope_gets_api_connections_only()
    {
        var (app, tenant, browser, requests) = await SignedInAsync("administrator");
        var parameters = requests.Parameters(tenant.ClientId, TestTenant.ClientCallback);
        parameters["resource"] = requests.ApiResource;
        parameters.Remove("scope");
        using var response = await browser.ConsentAsync(OAuthRequests.AuthorizeUrl(parameters));
        var code = await app.Services.GetRequiredService<GrantStore>().FindCodeAsync(OAuthRequests.RedirectParameters(response)["code"]);
        Assert.Equal("offline_access api_connections", code!.Scopes);
    }

    [Fact]
    public async Task A_post_with_a_json_body_is_a_readable_400_page_not_a_server_error()
    {
        var (_, tenant, browser, requests) = await SignedInAsync();
        var parameters = requests.Parameters(tenant.ClientId, TestTenant.ClientCallback);
        using var response = await browser.Http.PostAsync(OAuthRequests.AuthorizeUrl(parameters),
            new StringContent("{\"decision\":\"approve\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("only accepts the consent form", await response.Content.ReadAsStringAsync());
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Unknown_parameters_and_id_token_hint_are_tolerated()
    {
        var (_, tenant, browser, requests) = await SignedInAsync();
        var parameters = requests.Parameters(tenant.ClientId, TestTenant.ClientCallback);
        parameters["id_token_hint"] = "eyJhbGciOiJub25lIn0.e30.";
        parameters["prompt"] = "consent";
        parameters["something_new"] = "1";
        using var response = await browser.ConsentAsync(OAuthRequests.AuthorizeUrl(parameters));
        Assert.True(OAuthRequests.RedirectParameters(response).ContainsKey("code"));
    }

    [Fact]
    public async Task Without_a_session_authorize_sends_the_person_to_sign_in_and_back()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var requests = new OAuthRequests(app);
        using var browser = new BrowserlessSession(app);
        var authorizeUrl = OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, TestTenant.ClientCallback));

        using var first = await browser.Http.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        var signInUrl = first.Headers.Location!.ToString();
        Assert.StartsWith("/account/sign-in?", signInUrl);
        var returnUrl = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(app.BaseAddress, signInUrl).Query)["returnUrl"].ToString();
        Assert.Equal(SameRequest(authorizeUrl), SameRequest(returnUrl));

        using var signedIn = await browser.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password, returnUrl);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal(SameRequest(authorizeUrl), SameRequest(signedIn.Headers.Location!.ToString()));
        using var consent = await browser.ConsentAsync(authorizeUrl);
        Assert.True(OAuthRequests.RedirectParameters(consent).ContainsKey("code"));
    }

    private static string SameRequest(string url)
    {
        var uri = new Uri(new Uri("http://x"), url);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query);
        return uri.AbsolutePath + "?" + string.Join("&", query.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
    }

    [Fact]
    public async Task A_user_of_one_tenant_cannot_authorize_a_consumer_of_another_tenant()
    {
        var (app, tenantA, browser, requests) = await SignedInAsync();
        var tenantB = await TestTenant.CreateAsync(app);
        using var response = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(requests.Parameters(tenantB.ClientId, TestTenant.ClientCallback)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("another Fractal One account", await response.Content.ReadAsStringAsync());
        Assert.Null(await app.Services.GetRequiredService<GrantStore>().FindGrantAsync(tenantA.Id, tenantA.Viewer.UserId, tenantB.ClientId));
        Assert.Null(await app.Services.GetRequiredService<GrantStore>().FindGrantAsync(tenantB.Id, tenantA.Viewer.UserId, tenantB.ClientId));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("forged-token")]
    public async Task A_consent_post_without_a_valid_csrf_token_is_refused_and_issues_nothing(string? csrf)
    {
        var (app, tenant, browser, requests) = await SignedInAsync();
        using var response = await browser.ConsentAsync(OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, TestTenant.ClientCallback)),
            tamper: fields => { if (csrf is null) fields.Remove("csrf"); else fields["csrf"] = csrf; });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Null(await app.Services.GetRequiredService<GrantStore>().FindGrantAsync(tenant.Id, tenant.Viewer.UserId, tenant.ClientId));
    }

    [Fact]
    public async Task The_consent_page_names_the_client_its_redirect_host_and_its_policy_links()
    {
        var (_, tenant, browser, requests) = await SignedInAsync();
        using var response = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, TestTenant.ChatGptCallback)));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Test Connector", html);
        Assert.Contains("chatgpt.com", html);
        Assert.Contains("https://client.example/privacy", html);
        Assert.Contains("https://client.example/eula", html);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("form-action 'self' https://chatgpt.com", csp);
    }
}
