using Fractal.Benchmarks.Infrastructure;
using Fractal.Benchmarks.Load;
using Fractal.Functions.OAuth;

namespace Fractal.Benchmarks.Cases;

/// <summary>
/// Issue 13 case 7: the real app (separate process) under tools/call get_work_order at a steady 80% of the
/// peak wrk measured just before, for several minutes: errors, throughput and p99 per 30 s window, and the
/// app's working set at the start and end of the steady phase.
/// </summary>
public static class SteadyCase
{
    public static async Task RunAsync(BenchContext bench, double minutes, int connections = 16)
    {
        Wrk.EnsureInstalled();
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        string token, folio;
        await using (var host = await BenchHost.StartAsync(bench.Azurite, bench.WorkFolder, publicUrl: url))
        {
            var plant = await BenchPlant.CreateAsync(host, loadDemoPlant: true);
            (token, _) = await plant.TokensAsync();
            folio = plant.Folio!;
        }
        await using var app = AppProcess.Start(AppProcess.DefaultAssembly, url, BenchHost.Settings(bench.Azurite, bench.WorkFolder, url), bench.WorkFolder);
        var target = new LoadTarget("steady get_work_order", url + OAuthResources.McpPath, McpCase.ToolCall("get_work_order", $"{{\"folio\":\"{folio}\"}}"), McpCase.Headers(token, true));
        await FreePort.WaitListeningAsync(new Uri(url).Port, TimeSpan.FromSeconds(60));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections });
        await McpCase.SanityCheckAsync([target]);

        await Wrk.RunAsync(target, TimeSpan.FromSeconds(5), bench.WorkFolder); // warm-up
        var peak = await Wrk.RunAsync(target, TimeSpan.FromSeconds(10), bench.WorkFolder);
        var rate = peak.RequestsPerSecond * 0.8;
        var startMb = app.WorkingSetMb();
        var samples = await ClosedLoop.RunAsync(connections, TimeSpan.FromMinutes(minutes), async _ =>
        {
            var text = await McpCase.SendAsync(http, target);
            return text.Contains("\"structuredContent\"", StringComparison.Ordinal);
        }, totalRate: rate);
        var endMb = app.WorkingSetMb();

        Report.Line($"### Steadiness: get_work_order at 80% of peak ({peak.RequestsPerSecond:N0} req/s by wrk, {connections} connections → target {rate:N0} req/s) for {minutes:N1} min, real app process");
        Report.Line();
        Report.Table(["window", "req/s", "p50 ms", "p99 ms", "errors"], samples.GroupBy(s => (int)(s.AtSeconds / 30)).Select(g => (IReadOnlyList<string>)
            [$"{g.Key * 30}–{g.Key * 30 + 30} s", $"{g.Count() / 30.0:N0}", $"{ClosedLoop.Percentile(g.Select(s => s.LatencyMs), 50):N1}",
             $"{ClosedLoop.Percentile(g.Select(s => s.LatencyMs), 99):N1}", $"{g.Count(s => !s.Ok)}"]));
        Report.Line($"Working set of the app: {startMb:N0} MB at the start of the steady phase, {endMb:N0} MB at the end; {samples.Count:N0} requests, {samples.Count(s => !s.Ok)} errors.");
        Report.Line();
    }
}
