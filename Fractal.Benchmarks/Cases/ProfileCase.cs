using System.Diagnostics;
using Fractal.Benchmarks.Infrastructure;
using Fractal.Benchmarks.Load;

namespace Fractal.Benchmarks.Cases;

/// <summary>
/// Where the CPU of one in-memory <c>tools/call</c> goes (issue 13: "where a bar is missed, profile"): for the SDK's
/// MapMcp baseline, our endpoint, and our endpoint with its audit batches answered in process
/// (<see cref="AuditBatchStub"/>), the CPU time this process (the app) and the Azurite process spend per 1,000
/// calls under wrk load, read from each process's own counters (as dotnet-counters' cpu-usage does). The app,
/// Azurite and wrk share 2 cores, so CPU per call, not wall time, says which process a gap comes from.
/// (dotnet-trace's sampled thread-time profile was tried: on Linux it attributes ~99% of samples to
/// UNMANAGED_CODE_TIME, and collect-linux's kernel sampling needs user_events, which this kernel lacks.)
/// </summary>
public static class ProfileCase
{
    public static async Task RunAsync(BenchContext bench, int rounds = 3, int seconds = 6)
    {
        Wrk.EnsureInstalled();
        await using var host = await BenchHost.StartAsync(bench.Azurite, bench.WorkFolder, baselines: true);
        var plant = await BenchPlant.CreateAsync(host, loadDemoPlant: false);
        var (token, _) = await plant.TokensAsync();
        BenchHost.BaselinePrincipal.Value = await plant.PrincipalAsync();
        var echo = McpCase.ToolCall(BenchTools.EchoName, "{\"text\":\"hello\"}");
        LoadTarget[] targets =
        [
            new("bench_echo: (b) SDK MapMcp", host.BaselineUrl + "/sdk", echo, McpCase.Headers(null, true)),
            new("bench_echo: ours", host.McpUrl, echo, McpCase.Headers(token, true)),
            new($"bench_echo: ours, {McpCase.AuditAcknowledged}", host.McpUrl, echo, McpCase.Headers(token, true)),
        ];
        await McpCase.SanityCheckAsync(targets);

        Report.Line($"### Profile: in-memory tools/call, wrk 1 thread, {Wrk.Connections} connections, {rounds} rounds of {seconds} s per target (interleaved); medians");
        Report.Line();
        var measured = targets.ToDictionary(t => t.Name, _ => new List<(LoadRun Run, double AppCpu, double AzuriteCpu)>());
        foreach (var target in targets)
        {
            await host.ResetAuditAsync();
            await McpCase.RunTargetAsync(target, TimeSpan.FromSeconds(2), bench.WorkFolder); // warm-up
        }
        for (var round = 0; round < rounds; round++)
            foreach (var target in targets)
            {
                await host.ResetAuditAsync();
                var self = Process.GetCurrentProcess();
                var azurite = Process.GetProcessById(bench.Azurite.ProcessId);
                self.Refresh(); azurite.Refresh();
                var (selfCpu, azuriteCpu) = (self.TotalProcessorTime, azurite.TotalProcessorTime);
                var run = await McpCase.RunTargetAsync(target, TimeSpan.FromSeconds(seconds), bench.WorkFolder);
                await host.FlushAuditAsync(); // the rows still queued are written now and counted with the run
                self.Refresh(); azurite.Refresh();
                var perThousand = 1000.0 / run.Requests;
                measured[target.Name].Add((run, (self.TotalProcessorTime - selfCpu).TotalMilliseconds * perThousand,
                    (azurite.TotalProcessorTime - azuriteCpu).TotalMilliseconds * perThousand));
            }
        var rows = targets.Select(t => measured[t.Name]).Zip(targets, (m, t) => (IReadOnlyList<string>)
        [
            t.Name, $"{Stats.Median(m.Select(x => x.Run.RequestsPerSecond)):N0}", $"{m.Sum(x => x.Run.Errors)}",
            $"{Stats.Median(m.Select(x => x.Run.P50Ms)):N2}", $"{Stats.Median(m.Select(x => x.Run.P99Ms)):N2}",
            $"{Stats.Median(m.Select(x => x.AppCpu)):N0} ({Stats.Spread(m.Select(x => x.AppCpu))})",
            $"{Stats.Median(m.Select(x => x.AzuriteCpu)):N0}",
        ]).ToList();
        Report.Table(["target", "req/s", "errors", "p50 ms", "p99 ms", "app CPU ms per 1,000 calls (spread)", "Azurite CPU ms per 1,000 calls"], rows);

    }
}
