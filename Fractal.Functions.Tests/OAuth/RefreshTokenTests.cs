using System.Net;
using Fractal.Functions.Audit;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fractal.Functions.Tests.OAuth;

/// <summary>Refresh token rotation, the reuse leeway, family revocation and expiry (OAuth 2.1 §4.3, RFC 9700 §4.14).</summary>
public sealed class RefreshTokenTests
{
    private static async Task<(TestApp App, TestTenant Tenant, TokenClient Client, FakeTimeProvider Time)> TimedAppAsync()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = await TestApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var tenant = await TestTenant.CreateAsync(app);
        return (app, tenant, new TokenClient(app, tenant.ClientId, tenant.ClientSecret), time);
    }

    private static string Refresh(System.Text.Json.Nodes.JsonNode? body) => body!["refresh_token"]!.GetValue<string>();

    [Fact]
    public async Task A_refresh_rotates_the_refresh_token_and_issues_a_new_access_token()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var first = await OAuthFlow.TokensAsync(app, tenant);
        var (response, body) = await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RefreshAsync(Refresh(first));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.NotEqual(Refresh(first), Refresh(body));
        Assert.NotEqual(first["access_token"]!.GetValue<string>(), body!["access_token"]!.GetValue<string>());
        Assert.True((await app.ValidateAsync(body["access_token"]!.GetValue<string>(), new OAuthRequests(app).McpResource)).IsValid);
    }

    [Fact]
    public async Task A_refresh_reused_inside_the_leeway_gets_the_same_successor_and_the_family_keeps_one_live_token()
    {
        var (app, tenant, client, time) = await TimedAppAsync();
        await using var _ = app;
        var first = await OAuthFlow.TokensAsync(app, tenant);
        var (_, a) = await client.RefreshAsync(Refresh(first));
        time.Advance(TimeSpan.FromSeconds(29));
        var (again, b) = await client.RefreshAsync(Refresh(first));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(Refresh(a), Refresh(b));
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(Refresh(b))).Response.StatusCode);
    }

    [Fact]
    public async Task A_refresh_reused_after_the_leeway_revokes_its_family_but_not_the_other_family_of_the_grant()
    {
        var (app, tenant, client, time) = await TimedAppAsync();
        await using var _ = app;
        var laptop = await OAuthFlow.TokensAsync(app, tenant);
        var phone = await OAuthFlow.TokensAsync(app, tenant);
        var (_, rotated) = await client.RefreshAsync(Refresh(laptop));
        time.Advance(TimeSpan.FromSeconds(31));

        var (reuse, reuseBody) = await client.RefreshAsync(Refresh(laptop));
        Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);
        Assert.Equal("invalid_grant", reuseBody!["error"]!.GetValue<string>());
        // The whole laptop family is dead, including its newest token and its access tokens...
        Assert.Equal("invalid_grant", (await client.RefreshAsync(Refresh(rotated)!)).Body!["error"]!.GetValue<string>());
        Assert.False((await app.ValidateAsync(rotated!["access_token"]!.GetValue<string>(), new OAuthRequests(app).McpResource)).IsValid);
        // ...while the phone keeps working.
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(Refresh(phone))).Response.StatusCode);

        var audit = await AuditEntries.AllAsync(app, tenant.Id);
        Assert.Contains(audit, e => e.Event == "refresh_reuse" && e.ClientId == tenant.ClientId);
    }

    [Fact]
    public async Task A_refresh_token_of_a_revoked_grant_is_invalid_grant()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        await app.Services.GetRequiredService<TokenFamilyStore>().RevokeGrantAsync(tenant.Id, tenant.Viewer.UserId, tenant.ClientId, "test");
        var (response, body) = await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RefreshAsync(Refresh(tokens));
        Assert.Equal("invalid_grant", body!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await app.Services.GetRequiredService<GrantStore>().FindGrantAsync(tenant.Id, tenant.Viewer.UserId, tenant.ClientId));
    }

    [Fact]
    public async Task A_refresh_token_of_a_disabled_user_is_invalid_grant()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        await app.DisableUserAsync(tenant.Id, tenant.Viewer.UserId);
        var (_, body) = await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RefreshAsync(Refresh(tokens));
        Assert.Equal("invalid_grant", body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refresh_token_of_a_deleted_consumer_is_refused_as_invalid_client()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        var tables = app.Services.GetRequiredService<TableStore>();
        await tables.TryDeleteAsync(TableNames.Consumers, tenant.Id.Value, "consumer|" + tenant.ClientId, Azure.ETag.All);
        await tables.TryDeleteAsync(TableNames.ClientIndex, tenant.ClientId, "", Azure.ETag.All);
        var (response, body) = await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RefreshAsync(Refresh(tokens));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refresh_token_presented_by_another_client_is_invalid_grant_and_does_not_harm_the_family()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        var other = await app.Services.GetRequiredService<Fractal.Functions.Consumers.ConsumerStore>().CreateAsync(tenant.Id,
            new Fractal.Functions.Consumers.ConsumerDraft("Other", "", "confidential", [TestTenant.ClientCallback], null, null, null, "viewer"));
        var (_, body) = await new TokenClient(app, other.Consumer.ClientId, other.Secret).RefreshAsync(Refresh(tokens));
        Assert.Equal("invalid_grant", body!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RefreshAsync(Refresh(tokens))).Response.StatusCode);
    }

    [Fact]
    public async Task A_refresh_for_another_resource_is_invalid_target()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        var (_, body) = await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RefreshAsync(Refresh(tokens), resource: new OAuthRequests(app).ApiResource);
        Assert.Equal("invalid_target", body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refresh_may_narrow_the_scope_but_not_widen_it()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var client = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);
        var readOnly = await OAuthFlow.TokensAsync(app, tenant, adjust: p => p["scope"] = "maintenance.read offline_access");
        var (_, widened) = await client.RefreshAsync(Refresh(readOnly), scope: "maintenance.read maintenance.write");
        Assert.Equal("invalid_scope", widened!["error"]!.GetValue<string>());

        var full = await OAuthFlow.TokensAsync(app, tenant);
        var (_, narrowed) = await client.RefreshAsync(Refresh(full), scope: "maintenance.read");
        Assert.Equal("maintenance.read", narrowed!["scope"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_family_idle_for_thirty_days_expires()
    {
        var (app, tenant, client, time) = await TimedAppAsync();
        await using var _ = app;
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        time.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
        Assert.Equal("invalid_grant", (await client.RefreshAsync(Refresh(tokens))).Body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_family_used_regularly_still_expires_ninety_days_after_it_began()
    {
        var (app, tenant, client, time) = await TimedAppAsync();
        await using var _ = app;
        var refresh = Refresh(await OAuthFlow.TokensAsync(app, tenant));
        for (var day = 0; day < 89; day += 20)
        {
            time.Advance(TimeSpan.FromDays(20));
            var (response, body) = await client.RefreshAsync(refresh);
            if (day + 20 < 90)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                refresh = Refresh(body);
            }
        }
        time.Advance(TimeSpan.FromDays(10));
        Assert.Equal("invalid_grant", (await client.RefreshAsync(refresh)).Body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_malformed_or_unknown_refresh_token_is_invalid_grant()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var client = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);
        Assert.Equal("invalid_grant", (await client.RefreshAsync("garbage")).Body!["error"]!.GetValue<string>());
        var forged = TokenFamilyStore.NewRefreshToken(tenant.Id, TokenFamilyStore.NewFamilyId());
        Assert.Equal("invalid_grant", (await client.RefreshAsync(forged)).Body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_family_row_holds_only_hashes_of_refresh_tokens()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        var families = await app.Services.GetRequiredService<TokenFamilyStore>().ListForGrantAsync(tenant.Id, tenant.Viewer.UserId, tenant.ClientId);
        var family = Assert.Single(families);
        Assert.Equal(OpaqueToken.Hash(Refresh(tokens)), family.CurrentHash);
        var raw = await (await app.Services.GetRequiredService<TableStore>().GetTableAsync(TableNames.Grants))
            .GetEntityAsync<Azure.Data.Tables.TableEntity>(tenant.Id.Value, family.RowKey);
        Assert.DoesNotContain(raw.Value, p => p.Value is string s && s.Contains(Refresh(tokens)[^43..]));
    }
}
