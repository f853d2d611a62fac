using System.Net;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.OAuth;

public sealed class TokenRaceTests
{
    [Fact]
    public async Task Twenty_parallel_redemptions_of_one_code_give_exactly_one_token_response()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var code = await OAuthFlow.CodeAsync(app, tenant);
        var client = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri)));

        Assert.Equal(1, results.Count(r => r.Response.StatusCode == HttpStatusCode.OK));
        Assert.All(results.Where(r => r.Response.StatusCode != HttpStatusCode.OK), r => Assert.Equal("invalid_grant", r.Body!["error"]!.GetValue<string>()));
        var families = await app.Services.GetRequiredService<TokenFamilyStore>().ListForGrantAsync(tenant.Id, tenant.Viewer.UserId, tenant.ClientId);
        Assert.Single(families);
    }

    [Fact]
    public async Task Twenty_parallel_refreshes_of_one_token_leave_exactly_one_live_refresh_token_in_the_family()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var tokens = await OAuthFlow.TokensAsync(app, tenant);
        var client = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.RefreshAsync(tokens["refresh_token"]!.GetValue<string>())));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Response.StatusCode));
        var issued = results.Select(r => r.Body!["refresh_token"]!.GetValue<string>()).Distinct().ToList();
        var live = Assert.Single(issued);
        var family = Assert.Single(await app.Services.GetRequiredService<TokenFamilyStore>().ListForGrantAsync(tenant.Id, tenant.Viewer.UserId, tenant.ClientId));
        Assert.Equal(OpaqueToken.Hash(live), family.CurrentHash);
        Assert.Null(family.RevokedAt);
    }
}
