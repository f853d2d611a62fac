using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Fractal.Benchmarks.Infrastructure;

/// <summary>Azurite's Table service (the repo's pinned package) in memory on a free loopback port, for one benchmark run.</summary>
public sealed class Azurite : IAsyncDisposable
{
    // Azurite's published development account key (documented for the emulator; not a secret).
    private const string WellKnownAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;

    public int Port { get; }
    public int ProcessId => _process.Id;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={WellKnownAccountKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    private Azurite(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public static async Task<Azurite> StartAsync()
    {
        var executable = Path.Combine(RepoPaths.Root, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(executable)) throw new InvalidOperationException($"Azurite is not installed at {executable}: run ./bench.sh (it runs npm ci first).");
        var port = FreePort.Next();
        var process = Process.Start(new ProcessStartInfo(executable)
        {
            ArgumentList = { "--tableHost", "127.0.0.1", "--tablePort", port.ToString(), "--inMemoryPersistence", "--disableTelemetry", "--silent" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new Azurite(process, port);
        ChildProcesses.KillOnExit(process);
        await FreePort.WaitListeningAsync(port, TimeSpan.FromSeconds(30));
        return azurite;
    }

    public async ValueTask DisposeAsync()
    {
        await ChildProcesses.KillAndWaitAsync(_process);
    }
}

public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitListeningAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}

public static class RepoPaths
{
    /// <summary>The repository root: the nearest folder upward holding Fractal.sln.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Fractal.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run the benchmarks from inside the repository (Fractal.sln not found).");
    }
}
