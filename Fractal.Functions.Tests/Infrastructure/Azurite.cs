using System.Diagnostics;
using System.Net.Sockets;

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
        var azurite = new Azurite(FreePort.Next());
        await azurite.StartProcessAsync();
        return azurite;
    }

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
        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}.");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("Azurite did not listen within 30 seconds.");
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
