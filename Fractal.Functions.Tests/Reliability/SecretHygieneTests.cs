using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Reliability;

public sealed class SecretHygieneTests
{
    [Fact]
    public async Task After_the_full_flow_no_password_secret_code_or_token_appears_in_any_log_line_at_trace_level_or_in_any_table_row()
    {
        await using var azurite = await Azurite.StartAsync();
        await using var vault = await FakeKeyVault.StartAsync();
        var logs = new CapturedLogs();
        await using var app = await TestApp.StartAsync(azurite: azurite, vault: vault, services: logs.AddTo);
        var tenant = await TestTenant.CreateAsync(app);
        var secrets = new List<string> { tenant.ClientSecret };
        secrets.AddRange(tenant.Users.Values.Select(u => u.Password));

        // Sign-in, consent, code, token exchange, tool calls, refresh, consumer secret rotation, revocation.
        var code = await OAuthFlow.CodeAsync(app, tenant, tenant.Admin);
        secrets.Add(code.Code);
        secrets.Add(code.Requests.Verifier);
        var client = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);
        var (_, tokens) = await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri);
        var access = tokens!["access_token"]!.GetValue<string>();
        var refresh = tokens["refresh_token"]!.GetValue<string>();
        secrets.AddRange([access, refresh]);
        foreach (var tool in new[] { "list_work_orders", "search" })
            (await McpPostAsync(app, access, """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":""" + $"\"{tool}\"" + ""","arguments":{"query":"pump"}}}""")).Dispose();
        var (_, refreshed) = await client.RefreshAsync(refresh);
        secrets.AddRange([refreshed!["access_token"]!.GetValue<string>(), refreshed["refresh_token"]!.GetValue<string>()]);
        var requests = new OAuthRequests(app);
        var api = await OAuthFlow.TokensAsync(app, tenant, tenant.Admin, p => { p["resource"] = requests.ApiResource; p["scope"] = "api_connections"; });
        var apiToken = api["access_token"]!.GetValue<string>();
        secrets.Add(apiToken); // no offline_access asked: no refresh token
        using var rotate = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/consumers/{tenant.ClientId}/rotate-secret");
        rotate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiToken);
        using var rotated = await app.Http.SendAsync(rotate);
        var newSecret = JsonNode.Parse(await rotated.Content.ReadAsStringAsync())!["client_secret"]!.GetValue<string>();
        secrets.Add(newSecret);
        (await new TokenClient(app, tenant.ClientId, newSecret).RevokeAsync(refreshed["refresh_token"]!.GetValue<string>())).Response.Dispose();

        // Failures that carry secrets: a wrong password, the old secret, a replayed code, a wrong verifier.
        using (var browser = new BrowserlessSession(app)) (await browser.SignInAsync(tenant.Viewer.Email, "Wrong-" + tenant.Viewer.Password)).Dispose();
        secrets.Add("Wrong-" + tenant.Viewer.Password);
        var errorBodies = new List<string>
        {
            (await client.ExchangeAsync(code.Code, code.Requests.Verifier, code.RedirectUri)).Body!.ToJsonString(),
            (await new TokenClient(app, tenant.ClientId, tenant.ClientSecret).RefreshAsync(refresh)).Body!.ToJsonString(),
            (await new TokenClient(app, tenant.ClientId, newSecret).RefreshAsync("zz" + refresh)).Body!.ToJsonString(),
        };

        var tables = await DumpTablesAsync(app);
        var lines = logs.Lines;
        Assert.NotEmpty(lines);
        Assert.Contains(lines, l => l.StartsWith("Trace", StringComparison.Ordinal) || l.StartsWith("Debug", StringComparison.Ordinal));
        foreach (var secret in secrets.Distinct())
        {
            Assert.True(secret.Length >= 16, "every secret checked is long enough not to match by chance");
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, tables, StringComparison.Ordinal);
            Assert.All(errorBodies, b => Assert.DoesNotContain(secret, b, StringComparison.Ordinal));
        }
        // Tables do hold the hashes (the point reads need them), so the dump did see the rows it should.
        Assert.Contains(Sha256Hex.Of(code.Code), tables, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Every row of every table the app knows (TableNames.All), every property, as text.</summary>
    private static async Task<string> DumpTablesAsync(TestApp app)
    {
        var service = app.Services.GetRequiredService<TableStore>().Service;
        var dump = new StringBuilder();
        foreach (var table in TableNames.All)
        {
            try
            {
                await foreach (var row in service.GetTableClient(table).QueryAsync<TableEntity>())
                    foreach (var (key, value) in row) dump.Append(table).Append('|').Append(key).Append('=').Append(value is byte[] b ? Convert.ToBase64String(b) : value).AppendLine();
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
                // a table the flow never touched
            }
        }
        return dump.ToString();
    }

    private static Task<HttpResponseMessage> McpPostAsync(TestApp app, string token, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp/oauth/fractal-one") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        return app.Http.SendAsync(request);
    }
}
