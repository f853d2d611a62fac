using System.Diagnostics;
using System.Text.Json;

namespace Fractal.Benchmarks.Infrastructure;

/// <summary>The real app, started as <c>dotnet Fractal.Functions.dll --standalone</c> (start-up and steadiness cases).</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    public Stopwatch SinceStart { get; }
    public int Id => _process.Id;

    private AppProcess(Process process, Stopwatch sinceStart)
    {
        _process = process;
        SinceStart = sinceStart;
    }

    /// <summary>The app's own build output (Release), or another folder (e.g. a ReadyToRun publish).</summary>
    public static string DefaultAssembly => Path.Combine(RepoPaths.Root, "Fractal.Functions", "bin", "Release", "net10.0", "Fractal.Functions.dll");

    public static AppProcess Start(string assembly, string url, IDictionary<string, string?> settings, string workFolder)
    {
        var file = Path.Combine(workFolder, "app.settings.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new { Values = settings.ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value) }));
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { assembly, "--standalone", "--urls", url, "--settings", file },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workFolder,
        };
        start.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var watch = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, watch);
        ChildProcesses.KillOnExit(process);
        return app;
    }

    /// <summary>Resident set (working set) of the app process, in MB, from /proc.</summary>
    public double WorkingSetMb()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        return double.NaN;
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        await ChildProcesses.KillAndWaitAsync(_process);
        _process.Dispose();
    }
}
