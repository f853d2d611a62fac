using System.Net;
using System.Text.Json.Nodes;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.OAuth;

/// <summary>A code redeemed while its grant is being revoked must not leave a live token family behind the revoked grant.</summary>
public sealed class GrantRevocationRaceTests
{
    [Fact]
    public async Task A_code_redeemed_before_any_storage_step_of_its_grants_revocation_leaves_no_live_family()
    {
        await using var app = await TestApp.StartAsync(services: s => StorageStepHook.AddTo(s));
        var tenant = await TestTenant.CreateAsync(app);
        var families = app.Services.GetRequiredService<TokenFamilyStore>();
        var tokens = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);

        var steps = 0;
        for (var step = 1; ; step++)
        {
            var code = await OAuthFlow.CodeAsync(app, tenant, tenant.Technician);
            (HttpResponseMessage Response, JsonNode? Body)? redeemed = null;
            var fired = await StorageStepHook.RunAsync(
                () => families.RevokeGrantAsync(tenant.Id, tenant.Technician.UserId, tenant.ClientId, "revoked in the test"),
                step, async () => redeemed = await tokens.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri));
            if (!fired) break;
            steps++;

            if (redeemed!.Value.Response.StatusCode == HttpStatusCode.OK)
            {
                var (refresh, body) = await tokens.RefreshAsync(redeemed.Value.Body!["refresh_token"]!.GetValue<string>());
                Assert.True(refresh.StatusCode == HttpStatusCode.BadRequest, $"Redeemed before storage step {step} of the revocation, the family still refreshes.");
                Assert.Equal("invalid_grant", body!["error"]!.GetValue<string>());
            }
            Assert.DoesNotContain(await families.ListForGrantAsync(tenant.Id, tenant.Technician.UserId, tenant.ClientId), f => f.RevokedAt is null);
        }
        Assert.True(steps >= 2, "the revocation made too few storage requests to interleave with");
    }
}
