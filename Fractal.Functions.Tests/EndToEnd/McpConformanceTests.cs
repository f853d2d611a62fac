using System.Text.Json.Nodes;
using Fractal.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fractal.Functions.Tests.EndToEnd;

/// <summary>
/// The official MCP conformance suite (npm <c>@modelcontextprotocol/conformance</c>, pinned in package.json; Node 22)
/// against our MCP endpoint: the server scenarios that apply to a stateless, tools-only server. The suite has no auth
/// option, so it talks to a loopback proxy that adds a bearer token (<see cref="BearerTokenProxy"/>); the app lists the
/// proxy's origin in <c>Mcp:AllowedOrigins</c>, as a deployment lists a browser client's. The suite only contacts the
/// URL it is given (no network).
/// </summary>
public sealed class McpConformanceTests(McpConformanceTests.Server server, ITestOutputHelper log) : IClassFixture<McpConformanceTests.Server>
{
    [Theory]
    [InlineData("server-initialize")]
    [InlineData("ping")]
    [InlineData("tools-list")]
    [InlineData("logging-set-level")]
    [InlineData("dns-rebinding-protection")]
    public async Task The_official_conformance_scenario_passes(string scenario)
    {
        var results = Directory.CreateTempSubdirectory("fractal-conformance-");
        try
        {
            var run = await NodeProcess.RunAsync(NodeProcess.Node22,
                [NodeProcess.PackageBin("@modelcontextprotocol/conformance/dist/index.js"), "server", "--url", server.Proxy.Url.ToString(),
                    "--scenario", scenario, "--output-dir", results.FullName],
                new Dictionary<string, string?> { ["NO_COLOR"] = "1" }, TimeSpan.FromSeconds(90));
            log.WriteLine($"node {NodeProcess.Node22}; {run}");
            var checks = Directory.EnumerateFiles(results.FullName, "checks.json", SearchOption.AllDirectories)
                .SelectMany(f => JsonNode.Parse(File.ReadAllText(f))!.AsArray()).ToList();
            Assert.NotEmpty(checks);
            Assert.All(checks, c => Assert.True(c!["status"]!.GetValue<string>() is "SUCCESS" or "INFO", c!.ToJsonString()));
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        finally
        {
            results.Delete(recursive: true);
        }
    }

    /// <summary>The app with the proxy's origin allowed, the proxy, and a viewer's MCP token for it to add.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public BearerTokenProxy Proxy { get; private set; } = null!;
        private TestApp _app = null!;

        public async Task InitializeAsync()
        {
            Proxy = await BearerTokenProxy.StartAsync("/mcp");
            _app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Mcp:AllowedOrigins"] = Proxy.Origin });
            var tenant = await TestTenant.CreateAsync(_app);
            Proxy.Target = new Uri(_app.Issuer() + "/mcp/oauth/fractal-one");
            Proxy.Token = (await OAuthFlow.TokensAsync(_app, tenant, tenant.Viewer, p => p["scope"] = "maintenance.read"))["access_token"]!.GetValue<string>();
        }

        public async Task DisposeAsync()
        {
            await Proxy.DisposeAsync();
            await _app.DisposeAsync();
        }
    }
}
