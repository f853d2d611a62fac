using System.Diagnostics;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// A real Azurite Table service (from the repo's pinned package.json) on a free loopback port, in memory.
/// <see cref="Shared"/> serves the whole test run; a test that stops storage starts its own instance.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    // Azurite's published development account key (documented by Microsoft for the emulator; not a secret).
    private const string WellKnownAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Lazy<Task<Azurite>> SharedInstance = new(() => StartAsync());
    private Process? _process;

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={WellKnownAccountKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    private Azurite(int port) => Port = port;

    public static Task<Azurite> Shared => SharedInstance.Value;

    public static async Task<Azurite> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            // A port free a moment ago may be taken by the time Azurite binds it (another test picked it too).
            var azurite = new Azurite(FreePort.Next());
            try
            {
                await azurite.StartProcessAsync();
                return azurite;
            }
            catch (PortTakenException) when (attempt < 5)
            {
            }
        }
    }

    internal sealed class PortTakenException(int port) : Exception($"Port {port} was taken before Azurite could listen on it.");

    /// <summary>An instance for <paramref name="port"/>, not started (tests of this class).</summary>
    internal static Azurite OnPort(int port) => new(port);

    /// <summary>Starts (again) on the same port, as storage coming back after an outage.</summary>
    public async Task StartProcessAsync()
    {
        var executable = Path.Combine(RepoPaths.Root, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(executable))
            throw new InvalidOperationException($"Azurite is not installed at {executable}: run ./test.sh (it runs npm ci first).");
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "--tableHost", "127.0.0.1", "--tablePort", Port.ToString(), "--inMemoryPersistence", "--disableTelemetry", "--silent" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Ready when Azurite itself says it listens on this port. (Something answering on the port is not enough: when
        // the port was taken meanwhile, this Azurite exits with EADDRINUSE while the other listener answers, and the
        // test would silently share another test's storage.)
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var startedLine = $"successfully started on 127.0.0.1:{Port}";
        void Watch(string? line)
        {
            if (line is null) return;
            if (line.Contains(startedLine, StringComparison.Ordinal)) ready.TrySetResult();
            else if (line.Contains("EADDRINUSE", StringComparison.Ordinal)) ready.TrySetException(new PortTakenException(Port));
        }
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Watch(e.Data);
        _process.ErrorDataReceived += (_, e) => Watch(e.Data);
        _process.Exited += (sender, _) =>
        {
            ((Process)sender!).WaitForExit(); // its last lines first: an EADDRINUSE line makes this a taken port
            ready.TrySetException(new InvalidOperationException("Azurite exited before it listened."));
        };
        if (!_process.Start()) throw new InvalidOperationException("Azurite did not start.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();

        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            Kill();
            throw new TimeoutException("Azurite did not listen within 30 seconds.");
        }
    }

    /// <summary>Stops the process (the port stops answering at once).</summary>
    public async Task StopProcessAsync()
    {
        Kill();
        if (_process is not null) await _process.WaitForExitAsync();
    }

    private void Kill()
    {
        try
        {
            if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync() => await StopProcessAsync();
}
