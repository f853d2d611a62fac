using Fractal.Functions.Tests.Infrastructure;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using Xunit.Abstractions;

namespace Fractal.Functions.Tests.EndToEnd;

/// <summary>
/// A second independent client: the official C# MCP SDK's own OAuth support (ClientOAuthOptions of the pinned
/// ModelContextProtocol package) finds the authorization server from the 401, authorizes with PKCE, exchanges
/// the code and calls tools. Only the person's part (sign-in, consent) is ours, done over HTTP by
/// <see cref="BrowserlessSession"/>.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CSharpSdkOAuthTests(EndToEndApp e2e, ITestOutputHelper log)
{
    private const string ClaudeCallback = "https://claude.ai/api/mcp/auth_callback";

    [Fact]
    public async Task The_official_CSharp_MCP_client_completes_the_OAuth_flow_by_itself_checks_iss_and_calls_tools()
    {
        using var person = new BrowserlessSession(e2e.App);
        var authorizationRequests = new List<Uri>();
        var options = new ClientOAuthOptions
        {
            // The demo consumer, as an admin created it: Key = client_id, Secret = client_secret.
            ClientId = e2e.Demo.Consumer.ClientId,
            ClientSecret = e2e.Demo.Consumer.ClientSecret,
            RedirectUri = new Uri(ClaudeCallback),
            AuthorizationCallbackHandler = async (context, ct) =>
            {
                authorizationRequests.Add(context.AuthorizationUri);
                log.WriteLine($"the SDK opened {context.AuthorizationUri.GetLeftPart(UriPartial.Path)} with {string.Join(", ", QueryNames(context.AuthorizationUri))}");
                using (var signIn = await person.SignInAsync(e2e.Technician.Email, e2e.Technician.Password))
                    Assert.Equal(System.Net.HttpStatusCode.SeeOther, signIn.StatusCode);
                using var response = await person.ConsentAsync(context.AuthorizationUri.PathAndQuery);
                Assert.StartsWith(ClaudeCallback, response.Headers.Location!.ToString());
                var back = OAuthRequests.RedirectParameters(response);
                log.WriteLine($"the person consented; the callback has {string.Join(", ", back.Keys)}");
                return new AuthorizationResult { Code = back["code"], State = back["state"], Iss = back["iss"] };
            },
        };
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(e2e.McpUrl),
            TransportMode = HttpTransportMode.StreamableHttp,
            OAuth = options,
        });

        await using var client = await McpClient.CreateAsync(transport);
        var tools = await client.ListToolsAsync();
        var orders = await client.CallToolAsync("list_work_orders", new Dictionary<string, object?> { ["page_size"] = 3 });
        var request = await client.CallToolAsync("create_work_request", new Dictionary<string, object?> { ["title"] = "Reported through the C# SDK's OAuth" });

        var authorize = Assert.Single(authorizationRequests);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(e2e.McpUrl, query["resource"]);
        Assert.Contains("offline_access", query["scope"].ToString());
        Assert.Contains(tools, t => t.Name == "list_work_orders");
        Assert.NotEqual(true, orders.IsError);
        Assert.NotEqual(true, request.IsError);
        log.WriteLine($"{tools.Count} tools; list_work_orders and create_work_request answered");
    }

    private static IEnumerable<string> QueryNames(Uri uri) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query).Select(p => p.Key + (p.Key is "state" or "code_challenge" ? "" : "=" + p.Value));
}
