using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Fractal.Functions.OAuth.Clients.MetadataDocuments;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.OAuth.Registration;

/// <summary>
/// Client ID metadata documents (MCP 2025-11-25): an https client_id is fetched from a loopback HTTPS server
/// standing in for chatgpt.com or claude.ai (the tenant allowlists its host, 127.0.0.1).
/// </summary>
public sealed class MetadataDocumentTests
{
    private const string LoopbackHost = "127.0.0.1";

    private static async Task<(TestApp App, MetadataDocumentServer Documents, TestTenant Tenant)> SetUpAsync()
    {
        var (app, documents) = await RegistrationApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        await RegistrationApp.SetTenantRulesAsync(app, tenant.Id, hosts: "chatgpt.com claude.ai " + LoopbackHost);
        return (app, documents, tenant);
    }

    /// <summary>The authorize request's answer before sign-in: 302 to sign-in when the client is usable, else the error page.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> AuthorizeAsync(TestApp app, string clientId, string redirectUri = TestTenant.ClientCallback)
    {
        using var response = await app.Http.GetAsync(OAuthRequests.AuthorizeUrl(new OAuthRequests(app).Parameters(clientId, redirectUri)));
        Assert.True(response.StatusCode is HttpStatusCode.Found || response.Headers.Location is null, "an unusable client must never be redirected to");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// The person sees one generic message; why the document was refused is in the log only (a reason on the
    /// page would let anyone probe ports and DNS through the fetcher).
    /// </summary>
    private static void AssertRefusedWithTheReasonInTheLogOnly(string url, string body, string reason, CapturedLogs? logs = null)
    {
        Assert.Contains("client metadata document could not be used", body);
        Assert.DoesNotContain(reason, body);
        Assert.Contains((logs ?? RegistrationApp.SharedLogs).Lines, line => line.Contains(url) && line.Contains(reason));
    }

    [Fact]
    public async Task A_metadata_document_client_completes_the_code_flow_as_a_public_client()
    {
        var (app, documents, tenant) = await SetUpAsync();
        var url = documents.NewUrl();
        documents.ServeJson(url, MetadataDocumentServer.Document(url, "Document Client"));

        var code = await OAuthFlow.CodeAsync(app, tenant, tenant.Technician, url);
        var client = new TokenClient(app, url, null);
        var (exchanged, tokens) = await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri, TokenClient.Auth.None);
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        var validation = await app.ValidateAsync(tokens!["access_token"]!.GetValue<string>(), code.Requests.McpResource);
        Assert.True(validation.IsValid);
        Assert.Equal(url, validation.Claims!.ClientId);
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(tokens["refresh_token"]!.GetValue<string>(), TokenClient.Auth.None)).Response.StatusCode);

        // Such a client has no secret: presenting one is refused.
        var (withSecret, body) = await new TokenClient(app, url, "a-secret").RefreshAsync(tokens["refresh_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, withSecret.StatusCode);
        Assert.Equal("invalid_client", body!["error"]!.GetValue<string>());

        // The tenant's consumers list now shows it, marked as a metadata-document client.
        var page = await DynamicClientFlowTests.ConsumersPageAsync(app, tenant);
        Assert.Contains("data-kind=\"metadata_document\"", page);
        Assert.Contains(url, page);
    }

    [Fact]
    public async Task Revocation_never_fetches_a_document_and_a_client_id_url_never_seen_here_is_an_unknown_client()
    {
        var (app, documents, tenant) = await SetUpAsync();
        var unseen = documents.NewUrl();
        documents.ServeJson(unseen, MetadataDocumentServer.Document(unseen));
        var (refused, error) = await new TokenClient(app, unseen, null).RevokeAsync("not-a-token", TokenClient.Auth.None);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("invalid_client", error!["error"]!.GetValue<string>());
        Assert.Equal(0, documents.Hits(unseen));

        // A client that came through authorize revokes from its stored copy, even a stale one (no-store), without a fetch.
        var url = documents.NewUrl();
        documents.ServeJson(url, MetadataDocumentServer.Document(url, "Document Client"), cacheControl: "no-store");
        var code = await OAuthFlow.CodeAsync(app, tenant, tenant.Technician, url);
        var client = new TokenClient(app, url, null);
        var (_, tokens) = await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri, TokenClient.Auth.None);
        var fetched = documents.Hits(url);
        Assert.Equal(HttpStatusCode.OK, (await client.RevokeAsync(tokens!["refresh_token"]!.GetValue<string>(), TokenClient.Auth.None)).Response.StatusCode);
        Assert.Equal(fetched, documents.Hits(url));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.RefreshAsync(tokens["refresh_token"]!.GetValue<string>(), TokenClient.Auth.None)).Response.StatusCode);
    }

    [Fact]
    public async Task Redirect_uris_come_from_the_document_and_another_one_shows_an_error_page()
    {
        var (app, documents, _) = await SetUpAsync();
        var url = documents.NewUrl();
        documents.ServeJson(url, MetadataDocumentServer.Document(url, "Document Client", TestTenant.ChatGptCallback));

        Assert.Equal(HttpStatusCode.Found, (await AuthorizeAsync(app, url, TestTenant.ChatGptCallback)).Status);
        var (status, body) = await AuthorizeAsync(app, url, TestTenant.ClientCallback);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not registered for it", body);
    }

    [Fact]
    public async Task A_document_whose_client_id_is_not_its_url_is_refused()
    {
        var (app, documents, _) = await SetUpAsync();
        var url = documents.NewUrl();
        documents.ServeJson(url, MetadataDocumentServer.Document(documents.NewUrl()));
        var (status, body) = await AuthorizeAsync(app, url);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertRefusedWithTheReasonInTheLogOnly(url, body, "client_id is not exactly its URL");
    }

    [Fact]
    public async Task A_document_larger_than_5_KB_is_refused()
    {
        var (app, documents, _) = await SetUpAsync();
        var url = documents.NewUrl();
        var document = MetadataDocumentServer.Document(url);
        document["padding"] = new string('x', 5 * 1024);
        documents.ServeJson(url, document);
        var (status, body) = await AuthorizeAsync(app, url);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertRefusedWithTheReasonInTheLogOnly(url, body, "larger than 5120 bytes");

        // The same with no Content-Length (chunked): the cap applies to what is read.
        var chunked = documents.NewUrl();
        documents.Serve(chunked, async context =>
        {
            context.Response.ContentType = "application/json";
            var text = MetadataDocumentServer.Document(chunked).ToJsonString()[..^1] + ",\"padding\":\"" + new string('x', 6000) + "\"}";
            foreach (var part in text.Chunk(1000)) { await context.Response.WriteAsync(new string(part)); await context.Response.Body.FlushAsync(); }
        });
        var (chunkedStatus, chunkedBody) = await AuthorizeAsync(app, chunked);
        Assert.Equal(HttpStatusCode.BadRequest, chunkedStatus);
        AssertRefusedWithTheReasonInTheLogOnly(chunked, chunkedBody, "larger than 5120 bytes");
    }

    [Fact]
    public async Task A_document_url_that_redirects_is_refused_even_to_a_valid_document()
    {
        var (app, documents, _) = await SetUpAsync();
        var target = documents.NewUrl();
        documents.ServeJson(target, MetadataDocumentServer.Document(target));
        var url = documents.NewUrl();
        documents.Serve(url, context => { context.Response.Redirect(target); return Task.CompletedTask; });
        var (status, body) = await AuthorizeAsync(app, url);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertRefusedWithTheReasonInTheLogOnly(url, body, "redirects are refused");
        Assert.Equal(0, documents.Hits(target));
    }

    [Fact]
    public async Task A_document_that_does_not_arrive_within_the_timeout_is_refused()
    {
        var (app, documents, _) = await SetUpAsync();
        var url = documents.NewUrl();
        documents.Serve(url, async context => await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted));
        var started = DateTime.UtcNow;
        var (status, body) = await AuthorizeAsync(app, url);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertRefusedWithTheReasonInTheLogOnly(url, body, $"did not arrive within {RegistrationApp.FetchTimeout.TotalSeconds:0.#} seconds");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(9), "the fetch must give up at its timeout, not wait for the server");
    }

    [Theory]
    [InlineData("client_secret_post", "shared secret")]
    [InlineData("private_key_jwt", "not supported")]
    public async Task A_document_asking_for_an_unsupported_client_authentication_is_refused(string method, string expected)
    {
        var (app, documents, _) = await SetUpAsync();
        var url = documents.NewUrl();
        var document = MetadataDocumentServer.Document(url);
        document["token_endpoint_auth_method"] = method;
        documents.ServeJson(url, document);
        var (status, body) = await AuthorizeAsync(app, url);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertRefusedWithTheReasonInTheLogOnly(url, body, expected);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/a/../client.json")]
    [InlineData("/client.json?v=1")]
    public async Task A_client_id_url_breaking_the_cimd_rules_is_refused_without_a_fetch(string path)
    {
        var (app, documents, _) = await SetUpAsync();
        var url = new Uri(documents.BaseAddress, "/").ToString().TrimEnd('/') + path;
        var (status, body) = await AuthorizeAsync(app, url);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertRefusedWithTheReasonInTheLogOnly(url, body, "metadata document URL rules");
        Assert.Equal(0, documents.Hits(url));
    }

    [Fact]
    public async Task A_document_is_fetched_once_while_its_cache_lifetime_lasts_and_again_when_it_says_no_store()
    {
        var (app, documents, _) = await SetUpAsync();
        var cached = documents.NewUrl();
        documents.ServeJson(cached, MetadataDocumentServer.Document(cached), "public, max-age=600");
        await AuthorizeAsync(app, cached);
        await AuthorizeAsync(app, cached);
        Assert.Equal(1, documents.Hits(cached));

        var uncached = documents.NewUrl();
        documents.ServeJson(uncached, MetadataDocumentServer.Document(uncached), "no-store");
        await AuthorizeAsync(app, uncached);
        await AuthorizeAsync(app, uncached);
        Assert.Equal(2, documents.Hits(uncached));
    }

    [Fact]
    public void Cache_lifetimes_follow_http_caching_and_are_capped_at_7_days()
    {
        var now = DateTimeOffset.UtcNow;
        static HttpResponseMessage With(string? cacheControl, DateTimeOffset? expires = null, DateTimeOffset? date = null)
        {
            var response = new HttpResponseMessage { Content = new StringContent("{}") };
            if (cacheControl is not null) response.Headers.TryAddWithoutValidation("Cache-Control", cacheControl);
            if (expires is { } e) response.Content.Headers.Expires = e;
            if (date is { } d) response.Headers.Date = d;
            return response;
        }
        TimeSpan Of(HttpResponseMessage r) => CacheLifetime.From(r.Headers, r.Content.Headers, now);

        Assert.Equal(TimeSpan.FromSeconds(600), Of(With("max-age=600")));
        Assert.Equal(TimeSpan.FromSeconds(60), Of(With("max-age=600, s-maxage=60")));
        Assert.Equal(TimeSpan.FromDays(7), Of(With("max-age=31536000")));
        Assert.Equal(TimeSpan.Zero, Of(With("no-store, max-age=600")));
        Assert.Equal(TimeSpan.Zero, Of(With("no-cache")));
        Assert.Equal(TimeSpan.FromHours(2), Of(With(null, now.AddHours(2), now)));
        Assert.Equal(TimeSpan.FromHours(1), Of(With(null)));
    }

    [Fact]
    public async Task A_host_not_on_the_tenants_allowlist_is_refused_at_consent_and_at_the_token_endpoint()
    {
        var (app, documents, tenant) = await SetUpAsync();
        var url = documents.NewUrl();
        documents.ServeJson(url, MetadataDocumentServer.Document(url), "max-age=600");
        var tokens = await DynamicClientFlowTests.TokensAsync(app, tenant, url, null);
        var pending = await OAuthFlow.CodeAsync(app, tenant, clientId: url);

        await RegistrationApp.SetTenantRulesAsync(app, tenant.Id, hosts: "chatgpt.com claude.ai");

        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Viewer);
        using var consent = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(new OAuthRequests(app).Parameters(url, TestTenant.ClientCallback)));
        Assert.Equal(HttpStatusCode.Forbidden, consent.StatusCode);
        Assert.Contains("does not allow this application", await consent.Content.ReadAsStringAsync());

        var client = new TokenClient(app, url, null);
        var (refresh, refreshBody) = await client.RefreshAsync(tokens["refresh_token"]!.GetValue<string>(), TokenClient.Auth.None);
        Assert.Equal("unauthorized_client", refreshBody!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        var (_, exchangeBody) = await client.ExchangeAsync(pending.Code, pending.Requests.Verifier, pending.RedirectUri, TokenClient.Auth.None);
        Assert.Equal("unauthorized_client", exchangeBody!["error"]!.GetValue<string>());

        // A tenant that never listed the host refuses it from the start.
        var other = await TestTenant.CreateAsync(app);
        using var otherBrowser = new BrowserlessSession(app);
        await otherBrowser.SignInOrFailAsync(other.Viewer);
        using var otherConsent = await otherBrowser.Http.GetAsync(OAuthRequests.AuthorizeUrl(new OAuthRequests(app).Parameters(url, TestTenant.ClientCallback)));
        Assert.Equal(HttpStatusCode.Forbidden, otherConsent.StatusCode);
    }

    [Fact]
    public async Task With_metadata_documents_off_an_https_client_id_is_unknown_and_nothing_is_fetched()
    {
        var (_, documents) = await RegistrationApp.Shared;
        var app = await TestApp.Shared;
        var url = documents.NewUrl();
        documents.ServeJson(url, MetadataDocumentServer.Document(url));
        var (status, body) = await AuthorizeAsync(app, url);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not registered", body);
        Assert.Equal(0, documents.Hits(url));
    }

    [Fact]
    public async Task Outside_development_a_document_on_a_loopback_address_is_refused_with_one_generic_message_and_the_reason_only_in_the_log()
    {
        // The app's own defaults in the "Testing" environment: no private-address allowance.
        var logs = new CapturedLogs();
        var (app, documents) = await RegistrationApp.StartAsync(s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs), allowLoopback: false);
        await using var _ = app;
        await using var __ = documents;
        var url = documents.NewUrl();
        documents.ServeJson(url, MetadataDocumentServer.Document(url));
        var (status, body) = await AuthorizeAsync(app, url);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertRefusedWithTheReasonInTheLogOnly(url, body, "non-public addresses", logs);
        Assert.Equal(0, documents.Hits(url));
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("104.18.32.47", true)]
    [InlineData("2606:4700::6812:1", true)]
    public void Only_public_addresses_may_be_fetched(string address, bool isPublic) =>
        Assert.Equal(isPublic, PublicAddress.IsPublic(IPAddress.Parse(address)));
}
