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
public sealed class HalfResultTests(HalfResultTests.Fixture app, ITestOutputHelper output) : IClassFixture<HalfResultTests.Fixture>
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

    // ---- the driver ----

    /// <summary>
    /// Runs the operation once uncut to list its N dependency requests, then for k = 1..N on fresh state: cut request k
    /// (<paramref name="cut"/>: before it, or losing its answer), check the outcome, retry uncut. Returns the uncut run's requests (and prints them for the docs).
    /// </summary>
    private async Task<IReadOnlyList<string>> CutEachRequestAsync<TState>(string operation, Cut cut, Func<Task<TState>> arrange,
        Func<TState, string, Task<HttpResponseMessage>> act, Func<TState, Answer, Task> check, Func<TState, Answer, Task> retry)
    {
        // A warm instance: the first run of an operation also creates tables and service keys once per process.
        var warm = await Answer.ReadAsync(await act(await arrange(), app.Injector.Arm(0)));
        Assert.True((int)warm.Status < 400, $"{operation} uncut answered {(int)warm.Status}: {warm.Body}");
        var probeState = await arrange();
        var probeTag = app.Injector.Arm(0);
        var probe = await Answer.ReadAsync(await act(probeState, probeTag));
        Assert.True((int)probe.Status < 400, $"{operation} uncut answered {(int)probe.Status}: {probe.Body}");
        var calls = app.Injector.Of(probeTag);
        output.WriteLine($"{operation}: N = {calls.Count}: {string.Join(", ", calls)}");
        Assert.NotEmpty(calls);

        for (var k = 1; k <= calls.Count; k++)
        {
            var state = await arrange();
            var tag = app.Injector.Arm(k, cut);
            _cutCall = calls[k - 1];
            var answer = await Answer.ReadAsync(await act(state, tag));
            var seen = app.Injector.Of(tag);
            output.WriteLine($"  {(cut == Cut.BeforeRequest ? "cut before" : "answer lost of")} {k} ({calls[k - 1]}): {(int)answer.Status} {Snippet(answer.Body)}");
            // The cut run took the same path up to the cut, so it cut what the probe says.
            Assert.True(seen.Count >= k, $"{operation}: cut {k} expected request '{calls[k - 1]}', the run made only {seen.Count}: {string.Join(", ", seen)}");
            Assert.Equal(calls.Take(k).ToList(), seen.Take(k).ToList());
            try
            {
                await check(state, answer);
                await retry(state, answer);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"{operation}, {cut} at request {k} of {calls.Count} ({calls[k - 1]}), answered {(int)answer.Status} {Snippet(answer.Body)}: {e.Message}");
            }
        }
        return calls;
    }

    public sealed record Answer(HttpStatusCode Status, string? MediaType, string? RetryAfter, string Body, string? Location = null)
    {
        /// <summary>The JSON-RPC message of a tool call's answer (the event stream's data line, or a plain JSON body).</summary>
        public JsonNode? JsonRpc() => JsonNode.Parse(Body.Split('\n').FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal))?["data: ".Length..] ?? Body);

        public static async Task<Answer> ReadAsync(HttpResponseMessage response)
        {
            using (response)
            {
                return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                    response.Headers.RetryAfter?.ToString(), await response.Content.ReadAsStringAsync(), response.Headers.Location?.ToString());
            }
        }
    }

    private enum Format { OAuth, Problem, Html, JsonRpc }

    /// <summary>The endpoint's own outage answer: 503 + Retry-After in its format (a tool call's stream says it in JSON-RPC alone).</summary>
    private static void AssertOutage(Answer answer, Format format)
    {
        Assert.NotEqual(HttpStatusCode.InternalServerError, answer.Status);
        if (format == Format.JsonRpc)
        {
            Assert.Contains("\"code\":-32001", answer.Body);
            Assert.True(answer.Status == HttpStatusCode.OK || (answer.Status == HttpStatusCode.ServiceUnavailable && answer.RetryAfter is not null),
                $"{(int)answer.Status} RA={answer.RetryAfter}");
            return;
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.NotNull(answer.RetryAfter);
        switch (format)
        {
            case Format.OAuth:
                Assert.Equal("application/json", answer.MediaType);
                Assert.Contains("\"error\":\"temporarily_unavailable\"", answer.Body);
                break;
            case Format.Problem:
                Assert.Equal("application/problem+json", answer.MediaType);
                break;
            case Format.Html:
                Assert.Equal("text/html", answer.MediaType);
                Assert.Contains("briefly unavailable", answer.Body);
                break;
        }
    }

    // ---- invariants, read back with real SDK clients ----

    private TableClient Table(string name) => app.Services.GetRequiredService<TableStore>().Service.GetTableClient(name);

    private async Task<List<TableEntity>> PartitionAsync(string table, string prefix = "")
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Table(table).QueryAsync<TableEntity>(e => e.PartitionKey == app.Tenant.Id.Value)) 
            if (row.RowKey.StartsWith(prefix, StringComparison.Ordinal)) rows.Add(row);
        return rows;
    }

    /// <summary>Each consumer row has its secret in the vault (by name, matching its hash), its key index and its list row; the counter counts them.</summary>
    private async Task AssertConsumersWholeAsync(IReadOnlySet<string> earlierSecrets)
    {
        var rows = await PartitionAsync(TableNames.Consumers);
        var consumers = rows.Where(r => r.RowKey.StartsWith(ConsumerEntity.RowKeyPrefix, StringComparison.Ordinal)).ToList();
        var lists = rows.Where(r => r.RowKey.StartsWith(ConsumerListEntity.RowKeyPrefix, StringComparison.Ordinal)).ToList();
        var counter = rows.Single(r => r.RowKey == ConsumerCounterEntity.Key);
        Assert.Equal(consumers.Count, lists.Count);
        Assert.Equal(consumers.Count, counter.GetInt32(nameof(ConsumerCounterEntity.Count)));
        var index = new List<string>();
        await foreach (var row in Table(TableNames.ClientIndex).QueryAsync<TableEntity>(e => e.GetString("TenantId") == app.Tenant.Id.Value)) index.Add(row.PartitionKey);
        var clientIds = consumers.Select(c => c.RowKey[ConsumerEntity.RowKeyPrefix.Length..]).Order().ToList();
        Assert.Equal(clientIds, index.Order().ToList());
        foreach (var c in consumers)
        {
            var name = c.GetString(nameof(ConsumerEntity.SecretName));
            if (c.GetString(nameof(ConsumerEntity.ClientType)) == ClientTypes.Public) continue;
            Assert.True(name is not null && app.Vault.Contains(name), $"consumer {c.RowKey} has no secret in the vault");
            Assert.Equal(c.GetString(nameof(ConsumerEntity.SecretHash)), ClientSecrets.Hash(app.Vault.ValueOf(name)!));
        }
        // A secret written for a consumer whose rows then failed is deleted again: every new live secret is a consumer's.
        var referenced = consumers.Select(c => c.GetString(nameof(ConsumerEntity.SecretName))).ToHashSet();
        Assert.All(app.Vault.Names.Where(n => !earlierSecrets.Contains(n)), n => Assert.Contains(n, referenced));
    }

    /// <summary>The secret the consumer's row names, as the vault holds it (what an admin's "reveal" shows).</summary>
    private async Task<string> CurrentSecretAsync(string clientId)
    {
        var row = (await app.Services.GetRequiredService<ConsumerStore>().FindAsync(app.Tenant.Id, clientId))!;
        return app.Vault.ValueOf(row.SecretName!)!;
    }

    private async Task AssertRowSecretIsInTheVaultAsync(string clientId, string secret)
    {
        var row = (await app.Services.GetRequiredService<ConsumerStore>().FindAsync(app.Tenant.Id, clientId))!;
        Assert.True(app.Vault.Contains(row.SecretName!), "the consumer's secret is missing from the vault");
        Assert.Equal(secret, app.Vault.ValueOf(row.SecretName!));
    }

    /// <summary>Client authentication comes first (RFC 6749 §3.2.1): a bogus code says invalid_grant to a right secret, invalid_client to a wrong one.</summary>
    private async Task<bool> SecretWorksAsync(string clientId, string secret)
    {
        var (response, body) = await new TokenClient(app.App, clientId, secret).ExchangeAsync("not-a-code", "v", TestTenant.ClientCallback);
        return (string?)body!["error"] switch
        {
            "invalid_grant" => true,
            "invalid_client" => false,
            _ => throw new InvalidOperationException($"{(int)response.StatusCode}: {body}"),
        };
    }

    private async Task AssertEveryCodeHasItsGrantAsync()
    {
        var rows = await PartitionAsync(TableNames.Grants);
        var grants = rows.Where(r => r.RowKey.StartsWith(GrantEntity.RowKeyPrefix, StringComparison.Ordinal)).Select(r => r.RowKey).ToHashSet();
        foreach (var code in rows.Where(r => r.RowKey.StartsWith(AuthorizationCodeEntity.RowKeyPrefix, StringComparison.Ordinal)))
            Assert.Contains(GrantEntity.RowKeyFor(code.GetString("UserId"), code.GetString("ClientId")), grants);
    }

    private async Task AssertEveryRedeemedCodeHasItsFamilyAsync()
    {
        var rows = await PartitionAsync(TableNames.Grants);
        var keys = rows.Select(r => r.RowKey).ToHashSet();
        foreach (var code in rows.Where(r => r.RowKey.StartsWith(AuthorizationCodeEntity.RowKeyPrefix, StringComparison.Ordinal) && r.GetDateTimeOffset("RedeemedAt") is not null))
        {
            var family = code.GetString("FamilyId");
            Assert.Contains(TokenFamilyEntity.RowKeyPrefix + family, keys);
            Assert.Contains(GrantFamilyEntity.PrefixFor(code.GetString("UserId"), code.GetString("ClientId")) + family, keys);
        }
    }

    private async Task<WorkOrderDetails> DetailsAsync(string folio) =>
        (await app.Services.GetRequiredService<IWorkOrderService>().GetAsync(app.Tenant.Id, folio)).Value;

    private async Task<List<string>> FoliosWithTitleAsync(string title)
    {
        var folios = new List<string>();
        foreach (var row in await PartitionAsync(TableNames.WorkOrders, WorkOrderRows.HeaderPrefix))
        {
            var folio = WorkOrder.FormatFolio(Keys.FromInverted(row.RowKey[WorkOrderRows.HeaderPrefix.Length..]));
            if ((await DetailsAsync(folio)).Order.Title == title) folios.Add(folio);
        }
        return folios;
    }

    private async Task<List<string>> ConsumerNamesAsync() =>
        (await PartitionAsync(TableNames.Consumers, ConsumerEntity.RowKeyPrefix)).Select(r => r.GetString(nameof(ConsumerEntity.Name))).ToList();

    /// <summary>
    /// Every order's history matches its revision, and its index and downtime rows are exactly the projection of
    /// the record (same keys, same summary); no index row points at an order that does not exist.
    /// </summary>
    private async Task AssertWorkOrdersWholeAsync()
    {
        var rows = await PartitionAsync(TableNames.WorkOrders);
        var derived = rows.Where(r => r.RowKey.StartsWith("x|", StringComparison.Ordinal) || r.RowKey.StartsWith(WorkOrderRows.Downtime, StringComparison.Ordinal))
            .ToDictionary(r => r.RowKey, r => (Ref: r.GetString("Ref"), Data: r.GetString("Data")));
        var expected = new Dictionary<string, (string Ref, string? Data)>();
        foreach (var header in rows.Where(r => r.RowKey.StartsWith(WorkOrderRows.HeaderPrefix, StringComparison.Ordinal)))
        {
            var folio = WorkOrder.FormatFolio(Keys.FromInverted(header.RowKey[WorkOrderRows.HeaderPrefix.Length..]));
            var details = await DetailsAsync(folio);
            Assert.Equal(details.History.Count, details.Order.Revision);
            foreach (var row in WorkOrderRows.Project(app.Tenant.Id.Value, details.Order)) expected[row.RowKey] = (row.Ref, row.Data);
        }
        Assert.Equal(expected.Keys.Order(), derived.Keys.Order());
        foreach (var (key, value) in expected) Assert.Equal(value, derived[key]);
    }

    // ---- requests ----

    private static object ConsumerBody(string name) => new
    {
        name, description = "Creado bajo corte", client_type = "confidential", callback_urls = new[] { TestTenant.ClientCallback },
        privacy_policy_url = "https://example.com/privacy", permission_group = "viewer",
    };

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, string? tag, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (tag is not null) request.Headers.Add(StorageFaultInjector.Header, tag);
        if (body is not null) request.Content = JsonContent.Create(body);
        return app.App.Http.SendAsync(request);
    }

    private Task<HttpResponseMessage> PostTokenAsync(string tag, Dictionary<string, string> form)
    {
        form["client_id"] = app.Tenant.ClientId;
        form["client_secret"] = app.Tenant.ClientSecret;
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(StorageFaultInjector.Header, tag);
        return app.App.Http.SendAsync(request);
    }

    private async Task<Answer> CallToolAsync(string token, string? tag, string tool, string arguments) =>
        await Answer.ReadAsync(await SendToolAsync(token, tag, tool, arguments));

    private Task<HttpResponseMessage> SendToolAsync(string token, string? tag, string tool, string arguments)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, McpPath)
        {
            Content = new StringContent($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{{\"name\":\"{tool}\",\"arguments\":{arguments}}}}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        if (tag is not null) request.Headers.Add(StorageFaultInjector.Header, tag);
        return app.App.Http.SendAsync(request);
    }

    private static void AssertToolSucceeded(Answer answer)
    {
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.DoesNotContain("\"error\":", answer.Body);
        Assert.DoesNotContain("\"isError\":true", answer.Body);
    }

    private static string Snippet(string body) => body.Length > 200 ? body[..200] : body;

    /// <summary>One app for the class, with its own Azurite and vault (so every secret in the vault is this test's), and the injector.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private Azurite _azurite = null!;
        public FakeKeyVault Vault { get; private set; } = null!;
        public TestApp App { get; private set; } = null!;
        public TestTenant Tenant { get; private set; } = null!;
        public StorageFaultInjector Injector { get; private set; } = null!;
        public IServiceProvider Services => App.Services;
        public TokenClient Client => new(App, Tenant.ClientId, Tenant.ClientSecret);

        public async Task InitializeAsync()
        {
            _azurite = await Azurite.StartAsync();
            Vault = await FakeKeyVault.StartAsync();
            StorageFaultInjector? injector = null;
            App = await TestApp.StartAsync(azurite: _azurite, vault: Vault, services: s => injector = StorageFaultInjector.AddTo(s, Vault));
            Injector = injector!;
            Tenant = await TestTenant.CreateAsync(App);
            var assets = Services.GetRequiredService<IAssetService>();
            foreach (var asset in new[]
                     {
                         new NewAsset("S1", "Planta de prueba", AssetKind.Location, AssetLevel.Site, null, 1),
                         new NewAsset("EQ1", "Compresor N°2", AssetKind.Equipment, AssetLevel.Equipment, "S1", 1),
                     })
                Assert.True((await assets.CreateAsync(Tenant.Id, asset)).IsSuccess);
        }

        public async Task<string> AdminApiTokenAsync()
        {
            var requests = new OAuthRequests(App);
            var tokens = await OAuthFlow.TokensAsync(App, Tenant, Tenant.Admin, p => { p["resource"] = requests.ApiResource; p["scope"] = "api_connections"; });
            return tokens["access_token"]!.GetValue<string>();
        }

        public async Task<string> McpTokenAsync() =>
            (await OAuthFlow.TokensAsync(App, Tenant, Tenant.Supervisor))["access_token"]!.GetValue<string>();

        public async Task<TestUser> NewUserAsync(string role)
        {
            var email = $"{role}-{Guid.NewGuid():N}@test.example";
            var password = "Pw-" + Guid.NewGuid().ToString("N");
            var (_, user) = await Services.GetRequiredService<Fractal.Functions.Identity.Users.UserStore>().CreateAsync(Tenant.Id, email, "Persona", role, password);
            return new TestUser(user!.UserId, email, password, role);
        }

        public async Task DisposeAsync()
        {
            await App.DisposeAsync();
            await Vault.DisposeAsync();
            await _azurite.DisposeAsync();
        }
    }
}
