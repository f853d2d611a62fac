using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay between the app and its Azurite, which a test can cut and reconnect: while cut, the port
/// refuses connections and open ones are reset, exactly what the app sees when storage stops; the tables behind it
/// keep their rows (Azurite in memory would lose them on a restart, as no real outage does).
/// </summary>
public sealed class StorageCable : IAsyncDisposable
{
    private readonly Azurite _azurite;
    private readonly ConcurrentDictionary<TcpClient, byte> _open = new();
    private TcpListener? _listener;
    private CancellationTokenSource _cut = new();

    public int Port { get; } = FreePort.Next();

    public string ConnectionString => _azurite.ConnectionString.Replace($":{_azurite.Port}/", $":{Port}/", StringComparison.Ordinal);

    private StorageCable(Azurite azurite) => _azurite = azurite;

    public static StorageCable Connect(Azurite azurite)
    {
        var cable = new StorageCable(azurite);
        cable.Reconnect();
        return cable;
    }

    public void Reconnect()
    {
        _cut = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptAsync(_listener, _cut.Token);
    }

    public void Cut()
    {
        _cut.Cancel();
        _listener?.Stop();
        foreach (var client in _open.Keys)
        {
            try
            {
                client.Client?.LingerState = new LingerOption(true, 0); // reset, not a polite close
            }
            catch (ObjectDisposedException)
            {
            }
            catch (SocketException)
            {
            }
            client.Dispose();
        }
        _open.Clear();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient inbound;
            try { inbound = await listener.AcceptTcpClientAsync(ct); }
            catch (Exception) { return; }
            _ = RelayAsync(inbound, ct);
        }
    }

    private async Task RelayAsync(TcpClient inbound, CancellationToken ct)
    {
        using var outbound = new TcpClient();
        _open[inbound] = 0;
        _open[outbound] = 0;
        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, _azurite.Port, ct);
            var a = inbound.GetStream().CopyToAsync(outbound.GetStream(), ct);
            var b = outbound.GetStream().CopyToAsync(inbound.GetStream(), ct);
            await Task.WhenAny(a, b);
        }
        catch (Exception)
        {
        }
        finally
        {
            _open.TryRemove(inbound, out _);
            _open.TryRemove(outbound, out _);
            inbound.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
