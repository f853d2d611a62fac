using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Fractal.Benchmarks.Load;

/// <summary>One load run's result: throughput, latency percentiles (ms) and failed requests (non-2xx or socket errors).</summary>
public sealed record LoadRun(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors);

/// <summary>A POST the load generator repeats: URL, headers, body.</summary>
public sealed record LoadTarget(string Name, string Url, string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// Drives load with wrk (1 thread, a fixed connection count: light on a 2-core machine shared with the app
/// and Azurite). Installs Debian's wrk when it is missing.
/// </summary>
public static partial class Wrk
{
    public static int Connections { get; set; } = 16;

    public static void EnsureInstalled()
    {
        if (File.Exists("/usr/bin/wrk")) return;
        Console.WriteLine("Installing wrk (Debian package)...");
        var sudo = Environment.UserName == "root" ? "" : "sudo ";
        Run("/bin/sh", $"-c \"{sudo}apt-get update -qq && DEBIAN_FRONTEND=noninteractive {sudo}apt-get install -y -qq wrk >/dev/null\"");
        if (!File.Exists("/usr/bin/wrk")) throw new InvalidOperationException("wrk could not be installed (apt-get install wrk).");
    }

    /// <summary>Runs wrk and waits for it without holding a thread: the app under test shares this process's thread pool.</summary>
    public static async Task<LoadRun> RunAsync(LoadTarget target, TimeSpan duration, string workFolder)
    {
        var script = Path.Combine(workFolder, Sanitize(target.Name) + ".lua");
        var lua = new StringBuilder();
        lua.AppendLine("wrk.method = \"POST\"");
        lua.AppendLine($"wrk.body = [==[{target.Body}]==]");
        foreach (var (name, value) in target.Headers) lua.AppendLine($"wrk.headers[\"{name}\"] = [==[{value}]==]");
        File.WriteAllText(script, lua.ToString());
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/wrk", $"-t1 -c{Connections} -d{(int)duration.TotalSeconds}s --latency -s {script} {target.Url}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk exited with {process.ExitCode}: {output}");
        return Parse(output);
    }

    internal static LoadRun Parse(string output)
    {
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        long errors = 0;
        if (Non2xx().Match(output) is { Success: true } n) errors += long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture);
        if (SocketErrors().Match(output) is { Success: true } s)
            errors += Enumerable.Range(1, 4).Sum(i => long.Parse(s.Groups[i].Value, CultureInfo.InvariantCulture));
        return new LoadRun(rps, Percentile(output, "50"), Percentile(output, "99"), requests, errors);
    }

    private static double Percentile(string output, string p)
    {
        var m = Regex.Match(output, $@"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!m.Success) return double.NaN;
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    private static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} exited with {process.ExitCode}: {output}");
        return output;
    }

    private static string Sanitize(string name) => Regex.Replace(name, "[^A-Za-z0-9_-]", "_");

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")] private static partial Regex RequestsPerSecond();
    [GeneratedRegex(@"(\d+) requests in")] private static partial Regex Requests();
    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")] private static partial Regex Non2xx();
    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")] private static partial Regex SocketErrors();
}
