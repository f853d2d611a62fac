using Fractal.Benchmarks;
using Fractal.Benchmarks.Cases;
using Fractal.Benchmarks.Infrastructure;
using Fractal.Benchmarks.Load;

// The benchmark host of issue 13 (docs/performance.md). Run through ./bench.sh, which builds Release and
// holds the machine's shared lock per case:  Fractal.Benchmarks <case> [--results FILE]
// Cases: mcp, auth, server, roundtrips, token, startup, kpi, steady, steady-in-process, profile.
var cases = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && !IsOptionValue(a)).ToList();
if (cases.Count == 0)
{
    Console.Error.WriteLine("usage: Fractal.Benchmarks <mcp|auth|server|roundtrips|token|startup|kpi|steady|steady-in-process|profile> [--results FILE]");
    return 2;
}
Report.ResultsFile = Option("--results");
if (cases[0] == "auth") return AuthBenchmarks.Run(args);
if (cases[0] == "server") return ServerBuildBenchmarks.Run(args);

await using var bench = await BenchContext.StartAsync();
foreach (var name in cases)
{
    switch (name)
    {
        case "mcp": await McpCase.RunAsync(bench); break;
        case "roundtrips": await RoundTripsCase.RunAsync(bench); break;
        case "token": await TokenCase.RunAsync(bench); break;
        case "startup": await StartupCase.RunAsync(bench); break;
        case "kpi": await KpiCase.RunAsync(bench); break;
        case "profile": await ProfileCase.RunAsync(bench); break;
        case "steady": await SteadyCase.RunAsync(bench, Minutes()); break;
        case "steady-in-process": await SteadyCase.RunAsync(bench, Minutes(), inProcess: true); break;
        default: Console.Error.WriteLine($"unknown case {name}"); return 2;
    }
}
return 0;

double Minutes() => Option("--minutes") is { } m ? double.Parse(m, System.Globalization.CultureInfo.InvariantCulture) : 5;
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
bool IsOptionValue(string a) => args.TakeWhile(x => x != a).LastOrDefault() is { } prev && prev.StartsWith("--", StringComparison.Ordinal);

namespace Fractal.Benchmarks
{
    /// <summary>What every case shares: an Azurite of its own and a scratch folder.</summary>
    public sealed class BenchContext : IAsyncDisposable
    {
        public required Azurite Azurite { get; init; }
        public required string WorkFolder { get; init; }

        public static async Task<BenchContext> StartAsync()
        {
            var folder = Path.Combine(Path.GetTempPath(), "fractal-bench-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(folder);
            return new BenchContext { Azurite = await Azurite.StartAsync(), WorkFolder = folder };
        }

        public async ValueTask DisposeAsync()
        {
            await Azurite.DisposeAsync();
            try { Directory.Delete(WorkFolder, recursive: true); } catch (IOException) { }
        }
    }
}
