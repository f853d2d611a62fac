using System.Diagnostics;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Infra;

/// <summary>
/// The pinned Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 NuGet package. <c>infra/bicep.sh path</c>
/// restores it on first use (test.sh does that before the tests run) and prints the binary's path.
/// </summary>
internal static class BicepCli
{
    private static readonly Lazy<Task<string>> Binary = new(FindBinaryAsync);

    private static readonly string[] AzdEnvironmentVariables =
        ["AZURE_ENV_NAME", "AZURE_PRINCIPAL_ID", "FRACTAL_CUSTOM_DOMAIN", "FRACTAL_ALWAYS_READY_INSTANCES"];

    public sealed record Result(int ExitCode, string Output, string Errors)
    {
        /// <summary>Every diagnostic line the CLI printed (errors, warnings, infos), in either stream.</summary>
        public IReadOnlyList<string> Diagnostics =>
            (Output + "\n" + Errors).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.Contains(" : Error ") || l.Contains(" : Warning ") || l.Contains(" : Info "))
                .ToList();
    }

    /// <summary>Runs <c>bicep args...</c> in the repository root.</summary>
    public static async Task<Result> RunAsync(params string[] args)
    {
        var binary = await Binary.Value;
        return await RunProcessAsync(binary, args, TimeSpan.FromMinutes(2));
    }

    private static async Task<string> FindBinaryAsync()
    {
        var script = Path.Combine(RepoPaths.Root, "infra", "bicep.sh");
        // The first call may restore the package from NuGet.
        var result = await RunProcessAsync("bash", [script, "path"], TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"infra/bicep.sh path failed ({result.ExitCode}):\n{result.Errors}");
        return result.Output.Trim();
    }

    private static async Task<Result> RunProcessAsync(string fileName, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // main.bicepparam reads these (azd sets them); the tests check the file's own defaults.
        foreach (var name in AzdEnvironmentVariables) start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within {timeout}.");
        }
        return new Result(process.ExitCode, await output, await errors);
    }
}
