using Fractal.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fractal.Functions.Tests.EndToEnd;

/// <summary>
/// The connector flows ChatGPT and Claude run, simulated by e2e/connector-flow.mjs: the official MCP TypeScript
/// SDK client (pinned in package.json) with headless Chromium for the admin and the person. README's "Connect
/// ChatGPT" and "Connect Claude" list the same steps. The script prints each step; a failure names it.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConnectorFlowTests(EndToEndApp e2e, ITestOutputHelper log)
{
    [Fact]
    public Task ChatGPT_connects_with_client_secret_post_refreshes_survives_its_habits_and_loses_access_when_the_admin_revokes() =>
        RunFlowAsync("chatgpt",
            "parallel refreshes of one refresh token all succeed with the same successor",
            "a reconnect without scope gets the default scopes",
            "an error redirect (person denies) also carries state and iss");

    [Fact]
    public Task A_confidential_client_using_client_secret_basic_completes_the_same_flow() => RunFlowAsync("client-secret-basic");

    [Fact]
    public Task A_public_client_with_PKCE_and_no_secret_completes_the_same_flow_on_a_loopback_port() => RunFlowAsync("public");

    [Fact]
    public Task Claude_connects_with_its_callback_client_secret_post_and_offline_access() => RunFlowAsync("claude");

    private async Task RunFlowAsync(string flow, params string[] extraSteps)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = await NodeProcess.RunAsync(NodeProcess.SystemNode, [Path.Combine("e2e", "connector-flow.mjs")],
            new Dictionary<string, string?>
            {
                ["FRACTAL_FLOW"] = flow,
                ["FRACTAL_BASE_URL"] = e2e.App.Issuer(),
                ["FRACTAL_ADMIN_EMAIL"] = e2e.Admin.Email,
                ["FRACTAL_ADMIN_PASSWORD"] = e2e.Admin.Password,
                ["FRACTAL_USER_EMAIL"] = e2e.Technician.Email,
                ["FRACTAL_USER_PASSWORD"] = e2e.Technician.Password,
                ["FRACTAL_STATUS_CACHE_SECONDS"] = EndToEndApp.StatusCacheSeconds.ToString(),
                ["FRACTAL_CLOCK_CONTROL"] = "stdio",
                ["CHROMIUM_PATH"] = Chromium.ExecutablePath,
            },
            TimeSpan.FromSeconds(180),
            answer: line => MoveClock(line));
        log.WriteLine($"{run.Output}(the script ran {clock.Elapsed.TotalSeconds:F1} s)");

        Assert.True(run.ExitCode == 0, $"The {flow} flow failed:\n{run}");
        Assert.Contains($"PASS connector flow \"{flow}\"", run.Output);
        string[] steps =
        [
            "an admin creates the consumer",
            "the client calls the MCP URL and gets 401 with the protected-resource metadata address",
            "the SDK reads the protected-resource metadata, then the authorization server metadata",
            "PKCE S256, resource, state, scope",
            "the person signs in and consents in the browser",
            "the callback carries the code, the same state and iss",
            "the client exchanges the code at the token endpoint",
            "lists the tools", "calls a read tool", "calls a write tool",
            "after the access token expires, the SDK refreshes on the 401",
            "the admin revokes the authorization",
            "next call gets 401 within the bound",
        ];
        foreach (var step in steps.Concat(extraSteps))
            Assert.Contains(run.Output.Split('\n'), line => line.StartsWith("STEP ok") && line.Contains(step));
    }

    private string? MoveClock(string line)
    {
        const string prefix = "@@clock advance ";
        if (!line.StartsWith(prefix, StringComparison.Ordinal)) return null;
        e2e.Clock.Advance(TimeSpan.FromSeconds(int.Parse(line[prefix.Length..])));
        return "@@clock ok";
    }
}
