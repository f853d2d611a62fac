using System.Diagnostics;
using System.Text.Json.Nodes;
using Fractal.Benchmarks.Infrastructure;
using Fractal.Benchmarks.Load;

namespace Fractal.Benchmarks.Cases;

/// <summary>
/// Issue 13 case 4: /oauth/token throughput with parallel clients. Refresh: each client rotates its own token
/// family (every answer's refresh token is the next request's). Code exchange: codes issued beforehand as the
/// consent page issues them, each redeemed once. The client runs in the benchmark process beside the app.
/// </summary>
public static class TokenCase
{
    public static async Task RunAsync(BenchContext bench, int rounds = 5, int clients = 8, int seconds = 3, int codesPerRound = 300)
    {
        await using var host = await BenchHost.StartAsync(bench.Azurite, bench.WorkFolder);
        var plant = await BenchPlant.CreateAsync(host, loadDemoPlant: false);
        var refresh = new string[clients];
        for (var i = 0; i < clients; i++) (_, refresh[i]) = await plant.TokensAsync();
        var codes = new Queue<(string Code, string Verifier)>();
        for (var i = 0; i < rounds * codesPerRound + clients; i++) codes.Enqueue(await plant.CodeAsync());

        async Task<bool> Refresh(int w)
        {
            using var response = await plant.Http.PostAsync("/oauth/token", plant.RefreshForm(refresh[w]));
            if (!response.IsSuccessStatusCode) return false;
            refresh[w] = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["refresh_token"]!.GetValue<string>();
            return true;
        }
        async Task<bool> Exchange(int w)
        {
            (string Code, string Verifier) code;
            lock (codes) code = codes.Dequeue();
            using var response = await plant.Http.PostAsync("/oauth/token", plant.ExchangeForm(code.Code, code.Verifier));
            await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode;
        }

        // Warm-up of both paths, then interleaved rounds.
        await ClosedLoop.RunAsync(clients, TimeSpan.FromSeconds(1), Refresh);
        var results = new Dictionary<string, List<(double Rps, double P50, double P99, int Errors)>> { ["refresh_token"] = [], ["authorization_code"] = [] };
        for (var round = 0; round < rounds; round++)
        {
            results["refresh_token"].Add(Measure(await Timed(() => ClosedLoop.RunAsync(clients, TimeSpan.FromSeconds(seconds), Refresh))));
            results["authorization_code"].Add(Measure(await Timed(() => ClosedLoop.RunAsync(clients, TimeSpan.FromSeconds(seconds), Exchange, maxRequests: codesPerRound))));
        }

        Report.Line($"### Token endpoint: {clients} parallel clients, {rounds} rounds (refresh {seconds} s; code exchange {codesPerRound} codes per round)");
        Report.Line();
        Report.Table(["grant", "req/s median", "spread", "p50 ms", "p99 ms", "errors"],
            results.Select(r => (IReadOnlyList<string>)[r.Key, $"{Stats.Median(r.Value.Select(x => x.Rps)):N0}", Stats.Spread(r.Value.Select(x => x.Rps)),
                $"{Stats.Median(r.Value.Select(x => x.P50)):N1}", $"{Stats.Median(r.Value.Select(x => x.P99)):N1}", $"{r.Value.Sum(x => x.Errors)}"]));
    }

    private static async Task<(List<ClosedLoop.Sample> Samples, double Seconds)> Timed(Func<Task<List<ClosedLoop.Sample>>> run)
    {
        var watch = Stopwatch.StartNew();
        var samples = await run();
        return (samples, watch.Elapsed.TotalSeconds);
    }

    private static (double, double, double, int) Measure((List<ClosedLoop.Sample> Samples, double Seconds) run) =>
        (run.Samples.Count / run.Seconds, ClosedLoop.Percentile(run.Samples.Select(s => s.LatencyMs), 50),
         ClosedLoop.Percentile(run.Samples.Select(s => s.LatencyMs), 99), run.Samples.Count(s => !s.Ok));
}
