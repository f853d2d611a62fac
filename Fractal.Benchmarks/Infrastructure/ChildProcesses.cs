using System.Diagnostics;

namespace Fractal.Benchmarks.Infrastructure;

/// <summary>Ending the processes a benchmark starts (Azurite, the app): on disposal and when the benchmark itself exits.</summary>
public static class ChildProcesses
{
    /// <summary>Kills the process and its children; one that has already exited is left alone.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // it exited between the check and the kill
        }
    }

    /// <summary>Kills the process when this benchmark process exits, whatever way it ends.</summary>
    public static void KillOnExit(Process process) => AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill(process);

    public static async Task KillAndWaitAsync(Process process)
    {
        Kill(process);
        await process.WaitForExitAsync();
    }
}
