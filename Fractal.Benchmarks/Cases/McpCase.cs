using System.Text;
using Fractal.Benchmarks.Infrastructure;
using Fractal.Benchmarks.Load;
using Fractal.Functions.OAuth;

namespace Fractal.Benchmarks.Cases;

/// <summary>
/// Issue 13 case 1: MCP tools/call (get_work_order, list_work_orders, an in-memory tool), tools/list and
/// initialize on our endpoint (bearer token, permission filter, audit) against (a) a bare Kestrel endpoint
/// doing the same read and (b) the SDK's MapMcp, stateless, no auth. Targets are interleaved round by round,
/// so drift from other work on the machine touches all of them alike.
/// </summary>
public static class McpCase
{
    public const string ProtocolVersion = "2025-06-18";

    public static async Task RunAsync(BenchContext bench, int rounds = 3, int seconds = 3)
    {
        Wrk.EnsureInstalled();
        await using var host = await BenchHost.StartAsync(bench.Azurite, bench.WorkFolder, baselines: true, before: true);
        var plant = await BenchPlant.CreateAsync(host, loadDemoPlant: true);
        var (token, _) = await plant.TokensAsync();
        BenchHost.BaselinePrincipal.Value = await plant.PrincipalAsync();
        BenchHost.BareFolio = plant.Folio;

        var groups = Groups(host, token, plant.Folio!);
        await SanityCheckAsync(groups.SelectMany(g => g.Targets));
        foreach (var target in groups.SelectMany(g => g.Targets))
        {
            await host.ResetAuditAsync();
            await RunTargetAsync(target, TimeSpan.FromSeconds(1), bench.WorkFolder);
        }

        var runs = groups.SelectMany(g => g.Targets).ToDictionary(t => t.Name, _ => new List<LoadRun>());
        for (var round = 0; round < rounds; round++)
            foreach (var target in groups.SelectMany(g => g.Targets))
            {
                await host.ResetAuditAsync();
                runs[target.Name].Add(await RunTargetAsync(target, TimeSpan.FromSeconds(seconds), bench.WorkFolder));
            }

        Report.Line($"### MCP endpoint: wrk 1 thread, {Wrk.Connections} connections, {rounds} rounds of {seconds} s per target (interleaved)");
        Report.Line();
        Report.Line("Before each run the audit entries still queued are written and the AuditLog table is emptied (Azurite's in-memory store slows down as a partition grows; Azure Table Storage does not).");
        Report.Line();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var group in groups)
        {
            var sdk = group.Targets.FirstOrDefault(t => t.Name.EndsWith("(b) SDK MapMcp", StringComparison.Ordinal));
            foreach (var target in group.Targets)
            {
                var r = runs[target.Name];
                var ratio = sdk is null ? "" : $"{Stats.Median(r.Zip(runs[sdk.Name], (x, y) => x.RequestsPerSecond / y.RequestsPerSecond)):P0}";
                rows.Add([target.Name, $"{Stats.Median(r.Select(x => x.RequestsPerSecond)):N0}", Stats.Spread(r.Select(x => x.RequestsPerSecond)),
                    $"{Stats.Median(r.Select(x => x.P50Ms)):N2}", $"{Stats.Median(r.Select(x => x.P99Ms)):N2}", $"{r.Sum(x => x.Errors)}", ratio]);
            }
        }
        Report.Table(["target", "req/s median", "req/s spread", "p50 ms", "p99 ms", "errors", "vs (b), median of per-round ratios"], rows);
    }

    public sealed record Group(string Name, IReadOnlyList<LoadTarget> Targets);

    public static IReadOnlyList<Group> Groups(BenchHost host, string token, string folio)
    {
        var getBody = ToolCall("get_work_order", $"{{\"folio\":\"{folio}\"}}");
        var listBody = ToolCall("list_work_orders", "{}");
        var echoBody = ToolCall(BenchTools.EchoName, "{\"text\":\"hello\"}");
        const string listTools = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
        const string initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + ProtocolVersion
                                  + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1.0\"}}}";
        LoadTarget Ours(string name, string body, bool versionHeader = true) => new($"{name}: ours", host.McpUrl, body, Headers(token, versionHeader));
        LoadTarget Sdk(string name, string body, bool versionHeader = true) => new($"{name}: (b) SDK MapMcp", host.BaselineUrl + "/sdk", body, Headers(null, versionHeader));
        LoadTarget Before(string name, string body, bool versionHeader = true) => new($"{name}: ours, options per request (before)", host.BeforeUrl + OAuthResources.McpPath, body, Headers(token, versionHeader));
        LoadTarget RowPerEntry(string name, string body) => new($"{name}: ours, a row per audit entry (before)", host.RowPerEntryUrl + OAuthResources.McpPath, body, Headers(token, true));
        LoadTarget Acknowledged(string name, string body) => new($"{name}: ours, {AuditAcknowledged}", host.McpUrl, body, Headers(token, true));
        LoadTarget Bare(string name, string tool, string body) => new($"{name}: (a) bare Kestrel", $"{host.BaselineUrl}/bare/{tool}", body, Headers(null, true));
        return
        [
            new("get_work_order", [Bare("get_work_order", "get_work_order", getBody), Sdk("get_work_order", getBody), Ours("get_work_order", getBody)]),
            new("list_work_orders", [Bare("list_work_orders", "list_work_orders", listBody), Sdk("list_work_orders", listBody), Ours("list_work_orders", listBody)]),
            new("in-memory tool", [Bare("bench_echo (in memory)", BenchTools.EchoName, echoBody), Sdk("bench_echo (in memory)", echoBody), Before("bench_echo (in memory)", echoBody), RowPerEntry("bench_echo (in memory)", echoBody), Ours("bench_echo (in memory)", echoBody), Acknowledged("bench_echo (in memory)", echoBody)]),
            new("tools/list", [Sdk("tools/list", listTools), Before("tools/list", listTools), Ours("tools/list", listTools)]),
            new("initialize", [Sdk("initialize", initialize, false), Ours("initialize", initialize, false)]),
        ];
    }

    /// <summary>Names the targets whose audit batches <see cref="AuditBatchStub"/> answers (Azurite's work left out).</summary>
    public const string AuditAcknowledged = "audit rows acknowledged in process";

    /// <summary>Runs one target, with the audit stub on for the targets that ask for it.</summary>
    public static async Task<LoadRun> RunTargetAsync(LoadTarget target, TimeSpan duration, string workFolder)
    {
        AuditBatchStub.Enabled = target.Name.EndsWith(AuditAcknowledged, StringComparison.Ordinal);
        try
        {
            return await Wrk.RunAsync(target, duration, workFolder);
        }
        finally
        {
            AuditBatchStub.Enabled = false;
        }
    }

    public static string ToolCall(string tool, string arguments) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{{\"name\":\"{tool}\",\"arguments\":{arguments}}}}}";

    public static Dictionary<string, string> Headers(string? token, bool versionHeader)
    {
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "application/json",
            ["Accept"] = "application/json, text/event-stream",
        };
        if (versionHeader) headers["MCP-Protocol-Version"] = ProtocolVersion;
        if (token is not null) headers["Authorization"] = "Bearer " + token;
        return headers;
    }

    /// <summary>Every target must answer 200 with a JSON-RPC result (and no tool error) before it is timed.</summary>
    public static async Task SanityCheckAsync(IEnumerable<LoadTarget> targets)
    {
        using var http = new HttpClient();
        foreach (var target in targets)
        {
            var text = await SendAsync(http, target);
            if (!text.Contains("\"result\"", StringComparison.Ordinal) || text.Contains("\"isError\":true", StringComparison.Ordinal))
                throw new InvalidOperationException($"{target.Name} did not answer a result: {text[..Math.Min(400, text.Length)]}");
        }
    }

    public static async Task<string> SendAsync(HttpClient http, LoadTarget target)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new StringContent(target.Body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in target.Headers.Where(h => h.Key != "Content-Type")) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 200) throw new InvalidOperationException($"{target.Name} answered {(int)response.StatusCode}: {text}");
        return text;
    }
}
