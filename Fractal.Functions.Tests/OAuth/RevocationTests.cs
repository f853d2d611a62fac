using System.Net;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.OAuth;

/// <summary>RFC 7009 token revocation.</summary>
public sealed class RevocationTests
{
    [Fact]
    public async Task Revoking_a_refresh_token_ends_its_family()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        var client = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);

        var (response, _) = await client.RevokeAsync(tokens["refresh_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("invalid_grant", (await client.RefreshAsync(tokens["refresh_token"]!.GetValue<string>())).Body!["error"]!.GetValue<string>());
        Assert.False((await app.ValidateAsync(tokens["access_token"]!.GetValue<string>(), new OAuthRequests(app).McpResource)).IsValid);
    }

    [Fact]
    public async Task Revoking_an_access_token_ends_its_family()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        var client = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);
        Assert.Equal(HttpStatusCode.OK, (await client.RevokeAsync(tokens["access_token"]!.GetValue<string>())).Response.StatusCode);
        Assert.Equal("invalid_grant", (await client.RefreshAsync(tokens["refresh_token"]!.GetValue<string>())).Body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_token_is_answered_200()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var (response, _) = await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RevokeAsync("no-such-token");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_client_cannot_revoke_another_clients_token()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var other = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);

        var (response, _) = await new TokenClient(app, other.ClientId, other.ClientSecret).RevokeAsync(tokens["refresh_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RefreshAsync(tokens["refresh_token"]!.GetValue<string>())).Response.StatusCode);
    }

    [Fact]
    public async Task Revocation_requires_client_authentication()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        var (response, body) = await new TokenClient(app, tenant.ClientId, "wrong").RevokeAsync(tokens["refresh_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", body!["error"]!.GetValue<string>());
    }
}
