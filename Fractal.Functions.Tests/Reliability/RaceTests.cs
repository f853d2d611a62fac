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

    [Fact]
    public async Task A_secret_rotation_amid_twenty_code_exchanges_leaves_each_exchange_issued_or_refused_as_invalid_client_and_every_refused_code_still_redeemable_with_the_new_secret()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var requests = new OAuthRequests(app);
        var apiToken = (await OAuthFlow.TokensAsync(app, tenant, tenant.Admin, p => { p["resource"] = requests.ApiResource; p["scope"] = "api_connections"; }))["access_token"]!.GetValue<string>();
        // Codes one after another: parallel sign-ins of one account from one address are throttled by design (each is
        // counted before its password is checked); the race under test is between the exchanges and the rotation.
        var codes = new List<IssuedCode>();
        for (var i = 0; i < 20; i++) codes.Add(await OAuthFlow.CodeAsync(app, tenant, tenant.Viewer));
        var oldSecret = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);

        using var rotate = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/consumers/{tenant.ClientId}/rotate-secret");
        rotate.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiToken);
        var rotation = app.Http.SendAsync(rotate);
        var exchanges = await Task.WhenAll(codes.Select(c => oldSecret.ExchangeAsync(c.Code, c.Requests.Verifier, c.RedirectUri)));
        using var rotated = await rotation;

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var newSecret = JsonNode.Parse(await rotated.Content.ReadAsStringAsync())!["client_secret"]!.GetValue<string>();
        // Each exchange authenticated either before the rotation (tokens) or after it (invalid_client): never a 5xx.
        Assert.All(exchanges, e => Assert.True(e.Response.StatusCode == HttpStatusCode.OK
            || (e.Response.StatusCode == HttpStatusCode.Unauthorized && (string?)e.Body!["error"] == "invalid_client"),
            $"{(int)e.Response.StatusCode}: {e.Body}"));
        // Client authentication comes before the code is touched (RFC 6749 §3.2.1), so a refused exchange consumed nothing.
        var refused = codes.Where((_, i) => exchanges[i].Response.StatusCode != HttpStatusCode.OK).ToList();
        var newClient = new TokenClient(app, tenant.ClientId, newSecret);
        foreach (var code in refused)
            Assert.Equal(HttpStatusCode.OK, (await newClient.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri)).Response.StatusCode);
        // Afterwards the old secret is refused everywhere and the new one works.
        var late = await OAuthFlow.CodeAsync(app, tenant, tenant.Viewer);
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldSecret.ExchangeAsync(late.Code, late.Requests.Verifier, late.RedirectUri)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await newClient.ExchangeAsync(late.Code, late.Requests.Verifier, late.RedirectUri)).Response.StatusCode);
    }

    [Fact]
    public async Task Twenty_parallel_moves_of_one_work_order_to_in_review_let_exactly_one_win_and_leave_exactly_one_history_entry_for_it()
    {
        var plant = await McpPlant.GetAsync();
        await using var supervisor = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        var created = await supervisor.CallToolAsync("create_work_order", new Dictionary<string, object?>
        {
            ["title"] = "Carrera de transiciones", ["type"] = "corrective", ["asset_id"] = "LLE-01",
        });
        Assert.NotEqual(true, created.IsError);
        var folio = created.StructuredContent!.Value.GetProperty("folio").GetString()!;

        var moves = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => supervisor.CallToolAsync("update_work_order",
            new Dictionary<string, object?> { ["folio"] = folio, ["status"] = "in_review" }).AsTask()));

        // One wins; the others lost the ETag race (conflict) or found it already in review (transition refused):
        // tool errors the model can read, never a protocol error or a second transition.
        Assert.Equal(1, moves.Count(m => m.IsError != true));
        var details = (await plant.App.Services.GetRequiredService<Fractal.Functions.Maintenance.Api.IWorkOrderService>()
            .GetAsync(plant.A.Id, folio)).Value;
        Assert.Equal(Fractal.Functions.Maintenance.Domain.WorkOrders.WorkOrderStatus.InReview, details.Order.Status);
        Assert.Single(details.History, h => h.To == Fractal.Functions.Maintenance.Domain.WorkOrders.WorkOrderStatus.InReview);
        Assert.Equal(details.History.Count, details.Order.Revision);
    }

    private static async Task<int> RowsAsync(TestApp app, string table, string partition, string rowKey)
    {
        var client = app.Services.GetRequiredService<TableStore>().Service.GetTableClient(table);
        var count = 0;
        await foreach (var _ in client.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == partition && e.RowKey == rowKey)) count++;
        return count;
    }
}
