using Fractal.Benchmarks.Infrastructure;
using Fractal.Benchmarks.Load;
using Fractal.Functions.OAuth;

namespace Fractal.Benchmarks.Cases;

/// <summary>
/// Issue 13 case 7: the real app (separate process) under tools/call get_work_order at a steady 80% of the
/// peak wrk measured just before, for several minutes: errors, throughput and p99 per 30 s window, and the
/// app's working set at the start and end of the steady phase. Per window also the CPU the app process and the
/// Azurite process spent per request (read from /proc every 30 s), which says which of the two a drift comes from.
/// <para>
/// <c>steady-in-process</c>: the same with the app inside the benchmark process and its audit batches acknowledged
/// there (<see cref="AuditBatchStub"/>), so the emulator's audit partition does not grow (each insert scans it, and
/// the point reads wait behind those scans on its one thread): what is left is the app's own steadiness and a
/// fixed emulator cost. Its CPU and working set are the benchmark process's (app and load client together).
/// </para>
/// </summary>
public static class SteadyCase
{
    public static async Task RunAsync(BenchContext bench, double minutes, bool inProcess = false, int connections = 16)
    {
        Wrk.EnsureInstalled();
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var host = await BenchHost.StartAsync(bench.Azurite, bench.WorkFolder, publicUrl: url);
        string token, folio;
        try
        {
            var plant = await BenchPlant.CreateAsync(host, loadDemoPlant: true);
            (token, _) = await plant.TokensAsync();
            folio = plant.Folio!;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        if (inProcess)
        {
            AuditBatchStub.Enabled = true;
            try
            {
                await RunSteadyAsync(bench, minutes, connections, url, token, folio, app: null);
            }
            finally
            {
                AuditBatchStub.Enabled = false;
                await host.DisposeAsync();
            }
            return;
        }
        await host.DisposeAsync();
        await using var app = AppProcess.Start(AppProcess.DefaultAssembly, url, BenchHost.Settings(bench.Azurite, bench.WorkFolder, url), bench.WorkFolder);
        await RunSteadyAsync(bench, minutes, connections, url, token, folio, app);
    }

    private static async Task RunSteadyAsync(BenchContext bench, double minutes, int connections, string url, string token, string folio, AppProcess? app)
    {
        var target = new LoadTarget("steady get_work_order", url + OAuthResources.McpPath, McpCase.ToolCall("get_work_order", $"{{\"folio\":\"{folio}\"}}"), McpCase.Headers(token, true));
        await FreePort.WaitListeningAsync(new Uri(url).Port, TimeSpan.FromSeconds(60));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections });
        await McpCase.SanityCheckAsync([target]);

        using var appProcess = app is null ? System.Diagnostics.Process.GetCurrentProcess() : System.Diagnostics.Process.GetProcessById(app.Id);
        double WorkingSetMb() { appProcess.Refresh(); return appProcess.WorkingSet64 / 1048576.0; }
        await Wrk.RunAsync(target, TimeSpan.FromSeconds(5), bench.WorkFolder); // warm-up
        var peak = await Wrk.RunAsync(target, TimeSpan.FromSeconds(10), bench.WorkFolder);
        var rate = peak.RequestsPerSecond * 0.8;
        var startMb = WorkingSetMb();
        var windows = new List<(TimeSpan App, TimeSpan Azurite, double WorkingSetMb)>();
        using var stop = new CancellationTokenSource();
        var sampler = SampleCpuAsync(appProcess, WorkingSetMb, bench.Azurite.ProcessId, windows, stop.Token);
        var samples = await ClosedLoop.RunAsync(connections, TimeSpan.FromMinutes(minutes), async _ =>
        {
            var text = await McpCase.SendAsync(http, target);
            return text.Contains("\"structuredContent\"", StringComparison.Ordinal);
        }, totalRate: rate);
        var endMb = WorkingSetMb();
        await stop.CancelAsync();
        await sampler;

        var where = app is null ? "app in the benchmark process, audit rows acknowledged in process" : "real app process";
        var who = app is null ? "benchmark process (app + load client)" : "app";
        Report.Line($"### Steadiness: get_work_order at 80% of peak ({peak.RequestsPerSecond:N0} req/s by wrk, {connections} connections → target {rate:N0} req/s) for {minutes:N1} min, {where}");
        Report.Line();
        string PerRequest(int window, Func<(TimeSpan App, TimeSpan Azurite, double WorkingSetMb), TimeSpan> cpu, int requests) =>
            window < windows.Count && requests > 0 ? $"{cpu(windows[window]).TotalMilliseconds / requests:N2}" : "";
        Report.Table(["window", "req/s", "p50 ms", "p99 ms", "errors", $"{who} CPU ms/request", "Azurite CPU ms/request", $"{who} working set MB"],
            samples.GroupBy(s => (int)(s.AtSeconds / 30)).Select(g => (IReadOnlyList<string>)
            [$"{g.Key * 30}–{g.Key * 30 + 30} s", $"{g.Count() / 30.0:N0}", $"{ClosedLoop.Percentile(g.Select(s => s.LatencyMs), 50):N1}",
             $"{ClosedLoop.Percentile(g.Select(s => s.LatencyMs), 99):N1}", $"{g.Count(s => !s.Ok)}",
             PerRequest(g.Key, w => w.App, g.Count()), PerRequest(g.Key, w => w.Azurite, g.Count()),
             g.Key < windows.Count ? $"{windows[g.Key].WorkingSetMb:N0}" : ""]));
        Report.Line($"Working set of the {who}: {startMb:N0} MB at the start of the steady phase, {endMb:N0} MB at the end; {samples.Count:N0} requests, {samples.Count(s => !s.Ok)} errors.");
        Report.Line();
    }

    /// <summary>Every 30 s: CPU time the app and Azurite used in that window, and the app's working set at its end.</summary>
    private static async Task SampleCpuAsync(System.Diagnostics.Process appProcess, Func<double> workingSetMb, int azuriteId,
        List<(TimeSpan, TimeSpan, double)> windows, CancellationToken stop)
    {
        using var azurite = System.Diagnostics.Process.GetProcessById(azuriteId);
        var (appBefore, azuriteBefore) = (appProcess.TotalProcessorTime, azurite.TotalProcessorTime);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                appProcess.Refresh(); azurite.Refresh();
                var (appNow, azuriteNow) = (appProcess.TotalProcessorTime, azurite.TotalProcessorTime);
                windows.Add((appNow - appBefore, azuriteNow - azuriteBefore, workingSetMb()));
                (appBefore, azuriteBefore) = (appNow, azuriteNow);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
