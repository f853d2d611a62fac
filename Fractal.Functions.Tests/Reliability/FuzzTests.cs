using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Fractal.Functions.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;

namespace Fractal.Functions.Tests.Reliability;

/// <summary>
/// Property-based tests (FsCheck, 100 generated cases per property, against the shared app): whatever arrives,
/// never a 500, never a token or a code for invalid input, always an error in the endpoint's own format.
/// </summary>
public sealed class FuzzTests
{
    private static readonly string[] Junk = ["", " ", "x", "%00", "\u0000", "é漢字🙂", "' or 1=1 --", "<script>", "../../etc", new string('a', 5000), "null", "{}", "\r\n"];

    // Lone surrogates are dropped: they cannot be sent as UTF-8 at all, so no client could send them.
    private static Gen<string> Text => Gen.OneOf(Gen.Elements(Junk),
        ArbMap.Default.GeneratorFor<string>().Select(s => new string((s ?? "").Where(c => !char.IsSurrogate(c)).ToArray())));

    /// <summary>A form of some of the given names (plus an unknown one), each with a plausible, junk or random value.</summary>
    private static Gen<List<KeyValuePair<string, string>>> Form(string[] names, Func<string, Gen<string>> plausible) =>
        Gen.ListOf(Gen.Elements([.. names, "unknown_param"]).SelectMany(name => Gen.OneOf(plausible(name), Text).Select(v => KeyValuePair.Create(name, v))))
            .Select(l => l.ToList());

    [Fact]
    public async Task Token_requests_with_generated_parameters_never_give_a_500_or_a_token_and_always_an_oauth_json_error()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        string[] names = ["grant_type", "code", "code_verifier", "redirect_uri", "refresh_token", "client_id", "client_secret", "resource", "scope"];
        Gen<string> Plausible(string name) => name switch
        {
            "grant_type" => Gen.Elements("authorization_code", "refresh_token", "client_credentials", "password"),
            "client_id" => Gen.Constant(tenant.ClientId),
            "client_secret" => Gen.Constant(tenant.ClientSecret),
            "redirect_uri" => Gen.Elements(TestTenant.ClientCallback, "https://evil.example/cb"),
            "code" or "refresh_token" => Gen.Elements("abc." + tenant.Id.Value, tenant.Id.Value + ".x.y", "a.b.c"),
            _ => Text,
        };

        Prop.ForAll(Form(names, Plausible).ToArbitrary(), form =>
        {
            using var response = app.Http.PostAsync("/oauth/token", new FormUrlEncodedContent(form)).GetAwaiter().GetResult();
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{(int)response.StatusCode} for {Describe(form)}: {body}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            using var json = JsonDocument.Parse(body);
            Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("error").ValueKind);
            Assert.False(json.RootElement.TryGetProperty("access_token", out _));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public async Task Authorize_requests_with_generated_parameters_never_give_a_500_or_a_code_and_errors_are_pages_or_error_redirects()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var requests = new OAuthRequests(app);
        string[] names = ["response_type", "client_id", "redirect_uri", "code_challenge", "code_challenge_method", "state", "resource", "scope"];
        Gen<string> Plausible(string name) => name switch
        {
            "response_type" => Gen.Elements("code", "token", "code id_token"),
            "client_id" => Gen.Constant(tenant.ClientId),
            "redirect_uri" => Gen.Elements(TestTenant.ClientCallback, "https://evil.example/cb", "javascript:alert(1)"),
            "code_challenge" => Gen.Elements(requests.Challenge, "short"),
            "code_challenge_method" => Gen.Elements("S256", "plain"),
            "resource" => Gen.Elements(requests.McpResource, requests.ApiResource, "https://other.example/"),
            "scope" => Gen.Elements("maintenance.read", "openid", "api_connections maintenance.write"),
            _ => Text,
        };

        Prop.ForAll(Form(names, Plausible).ToArbitrary(), form =>
        {
            var url = "/oauth/authorize?" + string.Join("&", form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
            using var response = app.Http.GetAsync(url).GetAwaiter().GetResult();
            // Kestrel refuses a request line over its limit (8 KB) before the app sees it: a 4xx, nothing issued.
            if (response.StatusCode == HttpStatusCode.RequestUriTooLong) return;
            var location = response.Headers.Location?.ToString() ?? "";
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {Describe(form)}");
            Assert.DoesNotContain("code=", location.Replace("code_challenge", "", StringComparison.Ordinal), StringComparison.Ordinal);
            if (response.StatusCode == HttpStatusCode.BadRequest) Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            else if (response.StatusCode == HttpStatusCode.Found && !location.StartsWith("/account/sign-in", StringComparison.Ordinal))
            {
                // Only to the registered callback, and only with an error (RFC 6749 §4.1.2.1).
                Assert.StartsWith(TestTenant.ClientCallback + "?", location);
                Assert.Contains("error=", location);
            }
            else Assert.True(response.StatusCode == HttpStatusCode.Found, $"{(int)response.StatusCode} for {Describe(form)}");
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public async Task Json_rpc_bodies_and_tool_arguments_generated_at_random_never_give_a_500_and_always_answer_json_rpc()
    {
        var plant = await McpPlant.GetAsync();
        var token = await plant.TokenAsync(plant.A, plant.A.Viewer, "maintenance.read");
        string[] tools = ["list_work_orders", "get_work_order", "list_assets", "get_asset", "search", "fetch", "get_kpis", "check_stock", "list_requests", "no_such_tool"];
        var value = Gen.OneOf(
            Text.Select(s => JsonSerializer.Serialize(s)),
            ArbMap.Default.GeneratorFor<int>().Select(i => i.ToString()),
            Gen.Elements("null", "true", "[]", "{}", "[1,\"a\"]", "1e309", "-0"));
        var arguments = Gen.ListOf(Gen.Elements("id", "folio", "query", "status", "limit", "cursor", "asset", "from", "to", "kpi", "x").SelectMany(k => value.Select(v => $"\"{k}\":{v}")))
            .Select(kv => "{" + string.Join(",", kv.Distinct()) + "}");
        var toolCall = Gen.Elements(tools).SelectMany(t => arguments.Select(a =>
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + t + "\",\"arguments\":" + a + "}}"));
        var junk = Gen.OneOf(Text, Gen.Elements("""{"jsonrpc":"2.0"}""", """{"jsonrpc":"1.0","id":1,"method":"tools/list"}""", """[]""", """{"id":{},"method":5}""",
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":"x"}""", """{"jsonrpc":"2.0","method":"notifications/x"}"""));
        var body = Gen.OneOf(toolCall, toolCall, junk);

        Prop.ForAll(body.ToArbitrary(), json =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp/oauth/fractal-one") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
            using var response = plant.App.Http.SendAsync(request).GetAwaiter().GetResult();
            var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {json[..Math.Min(json.Length, 300)]}: {text}");
            if (response.StatusCode == HttpStatusCode.Accepted) return; // a notification
            Assert.Contains("\"jsonrpc\":\"2.0\"", text);
            Assert.True(text.Contains("\"error\"", StringComparison.Ordinal) || text.Contains("\"result\"", StringComparison.Ordinal), text);
        }).QuickCheckThrowOnFailure();
    }

    private static string Describe(IEnumerable<KeyValuePair<string, string>> form) =>
        string.Join("&", form.Select(p => $"{p.Key}={(p.Value.Length > 40 ? p.Value[..40] + "…" : p.Value)}"));
}
