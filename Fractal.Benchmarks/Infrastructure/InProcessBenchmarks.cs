using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Fractal.Benchmarks.Load;

namespace Fractal.Benchmarks.Infrastructure;

/// <summary>
/// Runs a BenchmarkDotNet class in process (the app's services live in this process; 1 launch, 3 warm-ups,
/// 10 iterations, allocations measured) and reports one row per benchmark: mean, the 99.9 % error, bytes
/// allocated per operation, and a last column of the caller's choosing (a bar, a share).
/// </summary>
public static class InProcessBenchmarks
{
    public static int Run<T>(string title, string lastColumn, Func<BenchmarkReport, Summary, string> last)
    {
        var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10);
        var config = ManualConfig.CreateEmpty().AddJob(job).AddDiagnoser(MemoryDiagnoser.Default).AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance).WithOptions(ConfigOptions.DisableOptimizationsValidator);
        var summary = BenchmarkRunner.Run<T>(config);
        Report.Line($"### {title}, in process (BenchmarkDotNet, 10 iterations)");
        Report.Line();
        Report.Table(["operation", "mean", "error (99.9%)", "allocated", lastColumn], summary.Reports.Select(r => (IReadOnlyList<string>)
        [
            r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo,
            Micro(r.ResultStatistics?.Mean), Micro(r.ResultStatistics?.ConfidenceInterval.Margin),
            $"{r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase):N0} B",
            last(r, summary),
        ]));
        return summary.HasCriticalValidationErrors ? 1 : 0;
    }

    /// <summary>The mean of the benchmark method <paramref name="method"/> in a summary, in nanoseconds.</summary>
    public static double MeanOf(Summary summary, string method) =>
        summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)?.ResultStatistics?.Mean ?? double.NaN;

    private static string Micro(double? nanoseconds) => nanoseconds is { } ns ? $"{ns / 1000:N2} µs" : "";
}
