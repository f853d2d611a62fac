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

/// <summary>
/// No operation leaves half a result (issue 14, item 1): each multi-write operation is run once to count its
/// dependency requests N, then N more times, each with storage (or the secret store) cut at request k
/// (<see cref="StorageFaultInjector"/>): before it, or after it with its answer lost. After each cut the rows and
/// secrets are read back with real SDK clients and must be all or nothing; the answer must be the protocol's own
/// outage error, or the normal success when the operation was in fact completed; and the same request, retried,
/// must then work without applying anything twice. Figures and findings: docs/reliability.md.
/// </summary>
public sealed partial class HalfResultTests(HalfResultTests.Fixture app, ITestOutputHelper output) : IClassFixture<HalfResultTests.Fixture>
{
    private const string McpPath = "/mcp/oauth/fractal-one";

    /// <summary>The dependency request the current run cuts ("vault PUT secrets").</summary>
    private string _cutCall = "";

    [Theory]
    [InlineData(Cut.BeforeRequest)]
    [InlineData(Cut.AnswerLost)]
    public async Task A_consumer_created_while_storage_is_cut_at_any_request_is_whole_or_absent_and_never_a_row_without_its_secret(Cut cut)
    {
        var apiToken = await app.AdminApiTokenAsync();
        var earlierSecrets = app.Vault.Names.ToHashSet();
        var n = 0;
        var calls = await CutEachRequestAsync("consumer create", cut,
            arrange: () => Task.FromResult($"Conector {cut} {++n:D2}"),
            act: (name, tag) => SendAsync(HttpMethod.Post, "/api/v1/consumers", apiToken, tag, ConsumerBody(name)),
            check: async (name, answer) =>
            {
                if (answer.Status == HttpStatusCode.Created)
                {
                    // The cut fell after the consumer was stored (its audit entry): the answer carries it, and its secret works.
                    var created = JsonNode.Parse(answer.Body)!;
                    Assert.True(await SecretWorksAsync(created["client_id"]!.GetValue<string>(), created["client_secret"]!.GetValue<string>()));
                }
                else
                {
                    AssertOutage(answer, Format.Problem);
                    Assert.DoesNotContain(name, await ConsumerNamesAsync()); // "nothing was changed", as the answer says
                    // The one documented stray: the vault stored the secret but its answer (with the new name) was lost.
                    if (cut == Cut.AnswerLost && _cutCall == "vault PUT secrets") earlierSecrets.UnionWith(app.Vault.Names);
                }
                await AssertConsumersWholeAsync(earlierSecrets);
            },
            retry: async (name, answer) =>
            {
                if (answer.Status == HttpStatusCode.Created) return;
                using var again = await SendAsync(HttpMethod.Post, "/api/v1/consumers", apiToken, null, ConsumerBody(name));
                Assert.Equal(HttpStatusCode.Created, again.StatusCode);
                Assert.Single(await ConsumerNamesAsync(), name);
                await AssertConsumersWholeAsync(earlierSecrets);
            });
        Assert.Contains("vault PUT secrets", calls);
    }

    [Theory]
    [InlineData(Cut.BeforeRequest)]
    [InlineData(Cut.AnswerLost)]
    public async Task A_secret_rotation_cut_at_any_request_leaves_the_consumer_a_working_secret_old_or_new(Cut cut)
    {
        var apiToken = await app.AdminApiTokenAsync();
        var consumer = await app.Services.GetRequiredService<ConsumerStore>().CreateAsync(app.Tenant.Id, new ConsumerDraft(
            "Rotado", "", ClientTypes.Confidential, [TestTenant.ClientCallback], null, null, null, "viewer"));
        var clientId = consumer.Consumer.ClientId;
        var path = $"/api/v1/consumers/{clientId}/rotate-secret";

        var calls = await CutEachRequestAsync("secret rotation", cut,
            arrange: () => CurrentSecretAsync(clientId),
            act: (_, tag) => SendAsync(HttpMethod.Post, path, apiToken, tag),
            check: async (before, answer) =>
            {
                if (answer.Status == HttpStatusCode.OK)
                {
                    // The cut fell after the switch (deleting the old secret, the audit entry): the admin still gets the new one.
                    var fresh = JsonNode.Parse(answer.Body)!["client_secret"]!.GetValue<string>();
                    Assert.True(await SecretWorksAsync(clientId, fresh));
                    Assert.False(await SecretWorksAsync(clientId, before));
                    await AssertRowSecretIsInTheVaultAsync(clientId, fresh);
                }
                else
                {
                    AssertOutage(answer, Format.Problem);
                    // Refused with an outage: nothing changed, so the secret the consumer holds still works.
                    Assert.True(await SecretWorksAsync(clientId, before), "the old secret stopped working, yet the rotation answered an outage");
                    await AssertRowSecretIsInTheVaultAsync(clientId, before);
                }
            },
            retry: async (_, answer) =>
            {
                if (answer.Status == HttpStatusCode.OK) return;
                var before = await CurrentSecretAsync(clientId);
                using var again = await SendAsync(HttpMethod.Post, path, apiToken, null);
                Assert.Equal(HttpStatusCode.OK, again.StatusCode);
                var fresh = JsonNode.Parse(await again.Content.ReadAsStringAsync())!["client_secret"]!.GetValue<string>();
                Assert.False(await SecretWorksAsync(clientId, before));
                Assert.True(await SecretWorksAsync(clientId, fresh));
            });
        Assert.Contains("vault DELETE secrets", calls);
    }

    [Theory]
    [InlineData(Cut.BeforeRequest)]
    [InlineData(Cut.AnswerLost)]
    public async Task A_consent_cut_at_any_request_never_leaves_a_code_without_its_grant_and_approving_again_gives_a_working_code(Cut cut)
    {
        var tenant = app.Tenant;
        await CutEachRequestAsync("consent", cut,
            arrange: async () =>
            {
                // A person who never consented before: this very consent creates the grant row.
                var user = await app.NewUserAsync("viewer");
                var browser = new BrowserlessSession(app.App);
                await browser.SignInOrFailAsync(user);
                var requests = new OAuthRequests(app.App);
                using var page = await browser.Http.GetAsync(OAuthRequests.AuthorizeUrl(requests.Parameters(tenant.ClientId, TestTenant.ClientCallback)));
                var fields = BrowserlessSession.HiddenFields(await page.Content.ReadAsStringAsync());
                fields["decision"] = "approve";
                return new Consent(user, browser, requests, fields);
            },
            act: (s, tag) =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/authorize") { Content = new FormUrlEncodedContent(s.Fields) };
                request.Headers.Add(StorageFaultInjector.Header, tag);
                return s.Browser.Http.SendAsync(request);
            },
            check: async (s, answer) =>
            {
                if (answer.Status != HttpStatusCode.SeeOther)
                {
                    AssertOutage(answer, Format.Html);
                    var mine = (await PartitionAsync(TableNames.Grants)).Where(r => r.GetString("UserId") == s.User.UserId).ToList();
                    Assert.Empty(mine); // neither a code nor a grant of this person
                }
                await AssertEveryCodeHasItsGrantAsync();
            },
            retry: async (s, answer) =>
            {
                using var again = answer.Status == HttpStatusCode.SeeOther ? null : await s.Browser.Http.PostAsync("/oauth/authorize", new FormUrlEncodedContent(s.Fields));
                var location = again?.Headers.Location?.ToString() ?? answer.Location!;
                Assert.True(again is null || again.StatusCode == HttpStatusCode.SeeOther, $"approving again answered {(int?)again?.StatusCode}");
                var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(location).Query)["code"].ToString();
                var (exchange, body) = await app.Client.ExchangeAsync(code, s.Requests.Verifier, TestTenant.ClientCallback);
                Assert.True(exchange.StatusCode == HttpStatusCode.OK, $"{(int)exchange.StatusCode}: {body}");
                s.Browser.Dispose();
            });
    }

    private sealed record Consent(TestUser User, BrowserlessSession Browser, OAuthRequests Requests, Dictionary<string, string> Fields);

    [Theory]
    [InlineData(Cut.BeforeRequest)]
    [InlineData(Cut.AnswerLost)]
    public async Task A_code_exchange_cut_at_any_request_leaves_the_code_redeemable_never_redeemed_without_its_family(Cut cut)
    {
        var tenant = app.Tenant;
        await CutEachRequestAsync("code exchange", cut,
            arrange: () => OAuthFlow.CodeAsync(app.App, tenant, tenant.Viewer),
            act: (code, tag) => PostTokenAsync(tag, new()
            {
                ["grant_type"] = "authorization_code", ["code"] = code.Code, ["code_verifier"] = code.Requests.Verifier, ["redirect_uri"] = code.RedirectUri,
            }),
            check: async (code, answer) =>
            {
                var row = await app.Services.GetRequiredService<GrantStore>().FindCodeAsync(code.Code);
                Assert.NotNull(row);
                if (answer.Status == HttpStatusCode.OK)
                {
                    // The redemption was stored and its answer lost: read back, it is answered with its tokens.
                    Assert.NotNull(row.RedeemedAt);
                    var refresh = JsonNode.Parse(answer.Body)!["refresh_token"]!.GetValue<string>();
                    Assert.Equal(row.FamilyId, TokenFamilyStore.ReadLocator(refresh)!.Value.FamilyId);
                    Assert.Equal(HttpStatusCode.OK, (await app.Client.RefreshAsync(refresh)).Response.StatusCode);
                }
                else
                {
                    AssertOutage(answer, Format.OAuth);
                    // The redemption (code used + family + its index row + grant touch) is one transaction: a cut leaves the code as it was.
                    Assert.Null(row.RedeemedAt);
                    Assert.Null(row.FamilyId);
                }
                await AssertEveryRedeemedCodeHasItsFamilyAsync();
            },
            retry: async (code, answer) =>
            {
                if (answer.Status == HttpStatusCode.OK) return;
                var (again, body) = await app.Client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri);
                Assert.True(again.StatusCode == HttpStatusCode.OK, $"{(int)again.StatusCode}: {body}");
                await AssertEveryRedeemedCodeHasItsFamilyAsync();
            });
    }

    [Theory]
    [InlineData(Cut.BeforeRequest)]
    [InlineData(Cut.AnswerLost)]
    public async Task A_refresh_cut_at_any_request_keeps_the_presented_refresh_token_working(Cut cut)
    {
        await CutEachRequestAsync("refresh rotation", cut,
            arrange: async () => (await OAuthFlow.TokensAsync(app.App, app.Tenant))["refresh_token"]!.GetValue<string>(),
            act: (refresh, tag) => PostTokenAsync(tag, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh }),
            check: async (refresh, answer) =>
            {
                var (tenant, familyId) = TokenFamilyStore.ReadLocator(refresh)!.Value;
                var family = (await app.Services.GetRequiredService<TokenFamilyStore>().FindAsync(tenant, familyId))!;
                Assert.Null(family.RevokedAt);
                if (answer.Status == HttpStatusCode.OK)
                {
                    // The rotation was stored and its answer lost: read back, the successor is answered.
                    Assert.Equal(OpaqueToken.Hash(JsonNode.Parse(answer.Body)!["refresh_token"]!.GetValue<string>()), family.CurrentHash);
                }
                else
                {
                    AssertOutage(answer, Format.OAuth);
                    Assert.Equal(OpaqueToken.Hash(refresh), family.CurrentHash); // not rotated: the presented token is still the current one
                }
            },
            retry: async (refresh, answer) =>
            {
                // Never both lost: the presented token refreshes (after a rotation, within the reuse leeway, to the
                // same successor), and that successor then refreshes too.
                var (again, body) = await app.Client.RefreshAsync(refresh);
                if (answer.Status == HttpStatusCode.OK)
                    Assert.Equal(JsonNode.Parse(answer.Body)!["refresh_token"]!.GetValue<string>(), (string?)body?["refresh_token"]);
                Assert.True(again.StatusCode == HttpStatusCode.OK, $"{(int)again.StatusCode}: {body}");
                var (next, nextBody) = await app.Client.RefreshAsync(body!["refresh_token"]!.GetValue<string>());
                Assert.True(next.StatusCode == HttpStatusCode.OK, $"{(int)next.StatusCode}: {nextBody}");
            });
    }

    [Theory]
    [InlineData(Cut.BeforeRequest)]
    [InlineData(Cut.AnswerLost)]
    public async Task A_work_order_created_through_the_mcp_tool_while_storage_is_cut_is_whole_or_absent_and_a_keyed_retry_creates_it_once(Cut cut)
    {
        var token = await app.McpTokenAsync();
        static string Arguments(string key) => $$"""{"title":"Fuga {{key[..8]}}","type":"corrective","asset_id":"EQ1","idempotency_key":"{{key}}"}""";
        await CutEachRequestAsync("create_work_order", cut,
            arrange: () => Task.FromResult(Guid.NewGuid().ToString("N")),
            act: (key, tag) => SendToolAsync(token, tag, "create_work_order", Arguments(key)),
            check: async (key, answer) =>
            {
                if (IsOutage(answer))
                {
                    AssertOutage(answer, Format.JsonRpc);
                    Assert.Empty(await FoliosWithTitleAsync($"Fuga {key[..8]}"));
                }
                else
                {
                    AssertToolSucceeded(answer);
                    Assert.Single(await FoliosWithTitleAsync($"Fuga {key[..8]}"));
                }
                await AssertWorkOrdersWholeAsync();
            },
            retry: async (key, answer) =>
            {
                var again = await CallToolAsync(token, null, "create_work_order", Arguments(key));
                AssertKeyedRetry(again, answer);
                Assert.Single(await FoliosWithTitleAsync($"Fuga {key[..8]}"));
                await AssertWorkOrdersWholeAsync();
            });
    }

    [Theory]
    [InlineData(Cut.BeforeRequest)]
    [InlineData(Cut.AnswerLost)]
    public async Task A_work_order_moved_with_a_note_through_the_mcp_tool_while_storage_is_cut_changes_wholly_or_not_at_all_and_a_keyed_retry_applies_it_once(Cut cut)
    {
        var token = await app.McpTokenAsync();
        static string Arguments(string folio, string key) => $$"""{"folio":"{{folio}}","status":"in_review","note":"Revisar","idempotency_key":"{{key}}"}""";
        await CutEachRequestAsync("update_work_order", cut,
            arrange: async () =>
            {
                var created = await CallToolAsync(token, null, "create_work_order", """{"title":"Transición","type":"corrective","asset_id":"EQ1"}""");
                AssertToolSucceeded(created);
                var folio = created.JsonRpc()!["result"]!["structuredContent"]!["folio"]!.GetValue<string>();
                return (folio, key: Guid.NewGuid().ToString("N"), before: await DetailsAsync(folio));
            },
            act: (s, tag) => SendToolAsync(token, tag, "update_work_order", Arguments(s.folio, s.key)),
            check: async (s, answer) =>
            {
                var after = await DetailsAsync(s.folio);
                if (IsOutage(answer))
                {
                    AssertOutage(answer, Format.JsonRpc);
                    // Nothing of the call stuck: neither the move nor the note.
                    Assert.Equal(WorkOrderStatus.InProcess, after.Order.Status);
                    Assert.Equal(s.before.Notes.Count, after.Notes.Count);
                    Assert.Equal(s.before.History.Count, after.History.Count);
                }
                else
                {
                    AssertToolSucceeded(answer);
                    AssertMovedWithOneNote(s.before, after);
                }
                await AssertWorkOrdersWholeAsync();
            },
            retry: async (s, answer) =>
            {
                var again = await CallToolAsync(token, null, "update_work_order", Arguments(s.folio, s.key));
                AssertKeyedRetry(again, answer);
                AssertMovedWithOneNote(s.before, await DetailsAsync(s.folio));
                await AssertWorkOrdersWholeAsync();
            });
    }

    private static void AssertMovedWithOneNote(WorkOrderDetails before, WorkOrderDetails after)
    {
        Assert.Equal(WorkOrderStatus.InReview, after.Order.Status);
        Assert.Equal(before.Notes.Count + 1, after.Notes.Count);
        Assert.Equal(before.History.Count + 2, after.History.Count); // the note's entry and the move's, saved together
        Assert.Equal(after.History.Count, after.Order.Revision);
    }

    /// <summary>
    /// A retry with the same idempotency_key after an outage makes the change; after an answered change it makes none:
    /// it returns the first result, or (when the cut fell on recording that result) says the call is still running.
    /// </summary>
    private static void AssertKeyedRetry(Answer again, Answer first)
    {
        if (IsOutage(first) || !again.Body.Contains("\"isError\":true", StringComparison.Ordinal))
        {
            AssertToolSucceeded(again);
            return;
        }
        Assert.Contains("still running", again.Body);
    }

    private static bool IsOutage(Answer answer) => answer.Body.Contains("\"code\":-32001", StringComparison.Ordinal);
}
