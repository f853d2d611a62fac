using System.Diagnostics;
using Fractal.Benchmarks.Infrastructure;
using Fractal.Benchmarks.Load;
using Fractal.Functions.OAuth;

namespace Fractal.Benchmarks.Cases;

/// <summary>
/// Issue 13 case 5: from process start to the first 200 of /health and to the first successful tools/call,
/// standalone, for the JIT build and (when ./bench.sh published one) a ReadyToRun build, alternating. Also the
/// demo plant's load (what <c>--seed-demo</c> runs; issue 7's bar: under 30 s against Azurite on this machine),
/// timed here rather than in a test, where it would share the emulator with the rest of the suite.
/// </summary>
public static class StartupCase
{
    private const int DemoLoads = 3;

    public static async Task RunAsync(BenchContext bench, int runs = 5)
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        string token, folio;
        var demoLoads = new List<Fractal.Functions.Maintenance.Demo.DemoLoadResult>();
        // Tenant, demo plant and a token made in-process, then that host stops: the spawned app finds them in storage.
        await using (var host = await BenchHost.StartAsync(bench.Azurite, bench.WorkFolder, publicUrl: url))
        {
            var plant = await BenchPlant.CreateAsync(host, loadDemoPlant: true);
            (token, _) = await plant.TokensAsync();
            folio = plant.Folio!;
            demoLoads.Add(plant.DemoLoad!);
            for (var i = 1; i < DemoLoads; i++) demoLoads.Add((await BenchPlant.CreateAsync(host, loadDemoPlant: true)).DemoLoad!);
        }
        var settings = BenchHost.Settings(bench.Azurite, bench.WorkFolder, url);
        var variants = new List<(string Name, string Assembly)> { ("JIT (Release build)", AppProcess.DefaultAssembly) };
        var r2r = Environment.GetEnvironmentVariable("FRACTAL_BENCH_R2R");
        if (r2r is not null && File.Exists(r2r)) variants.Add(("ReadyToRun (publish)", r2r));

        var call = new LoadTarget("get_work_order", url + OAuthResources.McpPath, McpCase.ToolCall("get_work_order", $"{{\"folio\":\"{folio}\"}}"), McpCase.Headers(token, true));
        var results = variants.ToDictionary(v => v.Name, _ => new List<(double Health, double Call)>());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var run = 0; run < runs; run++)
        {
            foreach (var (name, assembly) in variants)
            {
                await using var app = AppProcess.Start(assembly, url, settings, bench.WorkFolder);
                var health = await UntilAsync(app, async () => (await http.GetAsync(url + "/health")).IsSuccessStatusCode);
                var first = await UntilAsync(app, async () => (await McpCase.SendAsync(http, call)).Contains("\"structuredContent\"", StringComparison.Ordinal));
                results[name].Add((health, first));
            }
        }

        Report.Line($"### Start-up, standalone (process start → first answer), {runs} runs each, alternating");
        Report.Line();
        Report.Table(["build", "→ /health 200, median ms", "spread", "→ first tools/call, median ms", "spread"],
            results.Select(r => (IReadOnlyList<string>)[r.Key, $"{Stats.Median(r.Value.Select(x => x.Health)):N0}", Stats.Spread(r.Value.Select(x => x.Health)),
                $"{Stats.Median(r.Value.Select(x => x.Call)):N0}", Stats.Spread(r.Value.Select(x => x.Call))]));
        Report.Line();
        var seconds = demoLoads.Select(l => l.Elapsed.TotalSeconds).ToList();
        Report.Table(["demo plant load (fresh tenant, in process)", "rows", "median s", "spread s", "< 30 s"],
            [[$"{demoLoads.Count} loads", $"{demoLoads[0].Rows:N0}", $"{Stats.Median(seconds):N1}", Stats.Spread(seconds, "N1"), seconds.Max() < 30 ? "yes" : "no"]]);
    }

    private static async Task<double> UntilAsync(AppProcess app, Func<Task<bool>> probe)
    {
        while (app.SinceStart.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (app.HasExited) throw new InvalidOperationException("The app exited during start-up.");
            try
            {
                if (await probe()) return app.SinceStart.Elapsed.TotalMilliseconds;
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
            }
            await Task.Delay(5);
        }
        throw new TimeoutException("The app did not answer within 60 s.");
    }
}
