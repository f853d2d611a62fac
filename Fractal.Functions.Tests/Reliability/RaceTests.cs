using System.Net;
using System.Text.Json.Nodes;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Reliability;

/// <summary>Races beyond the token ones in OAuth/TokenRaceTests, each hammered with parallel requests.</summary>
public sealed class RaceTests
{
    [Fact]
    public async Task Twenty_parallel_consents_of_one_user_to_one_consumer_give_twenty_working_codes_and_exactly_one_grant()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Viewer);
        // Each client instance starts its own authorization (its own PKCE pair), as twenty devices connecting at once.
        var pending = new List<(OAuthRequests Requests, Dictionary<string, string> Fields)>();
        for (var i = 0; i < 20; i++)
        {
            var requests = new OAuthRequests(app);
            using var page = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, TestTenant.ClientCallback)));
            var fields = BrowserlessSession.HiddenFields(await page.Content.ReadAsStringAsync());
            fields["decision"] = "approve";
            pending.Add((requests, fields));
        }

        var answers = await Task.WhenAll(pending.Select(p => browser.Http.PostAsync("/oauth/authorize", new FormUrlEncodedContent(p.Fields))));
        var codes = answers.Select(a => OAuthRequests.RedirectParameters(a)["code"]).ToList();
        var client = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);
        var exchanges = await Task.WhenAll(codes.Select((c, i) => client.ExchangeAsync(c, pending[i].Requests.Verifier, TestTenant.ClientCallback)));

        Assert.Equal(20, codes.Distinct().Count());
        Assert.All(exchanges, e => Assert.Equal(HttpStatusCode.OK, e.Response.StatusCode));
        Assert.NotNull(await app.Services.GetRequiredService<GrantStore>().FindGrantAsync(tenant.Id, tenant.Viewer.UserId, tenant.ClientId));
        var grantRows = await RowsAsync(app, TableNames.Grants, tenant.Id.Value, GrantEntity.RowKeyFor(tenant.Viewer.UserId, tenant.ClientId));
        Assert.Equal(1, grantRows);
        Assert.Equal(20, (await app.Services.GetRequiredService<TokenFamilyStore>().ListForGrantAsync(tenant.Id, tenant.Viewer.UserId, tenant.ClientId)).Count);
    }

    [Fact]
    public async Task Three_instances_asked_for_keys_in_parallel_on_empty_storage_all_publish_one_and_the_same_first_signing_key()
    {
        await using var azurite = await Azurite.StartAsync();
        await using var vault = await FakeKeyVault.StartAsync();
        var apps = new List<TestApp>();
        try
        {
            for (var i = 0; i < 3; i++) apps.Add(await TestApp.StartAsync(azurite: azurite, vault: vault));

            var answers = await Task.WhenAll(apps.SelectMany(app => Enumerable.Range(0, 10).Select(_ => app.Http.GetStringAsync("/oauth/jwks"))));
            var kids = answers.SelectMany(a => JsonNode.Parse(a)!["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>())).Distinct().ToList();

            Assert.Equal(30, answers.Length);
            Assert.Single(kids);
        }
        finally
        {
            foreach (var app in apps) await app.DisposeAsync();
        }
    }

    private static async Task<int> RowsAsync(TestApp app, string table, string partition, string rowKey)
    {
        var client = app.Services.GetRequiredService<TableStore>().Service.GetTableClient(table);
        var count = 0;
        await foreach (var _ in client.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == partition && e.RowKey == rowKey)) count++;
        return count;
    }
}
