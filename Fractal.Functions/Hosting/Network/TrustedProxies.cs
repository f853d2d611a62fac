using System.Net;

namespace Fractal.Functions.Hosting.Network;

/// <summary>A parsed list of trusted proxy addresses and ranges.</summary>
public sealed class TrustedProxies(IReadOnlyList<System.Net.IPNetwork> networks)
{
    public static TrustedProxies None { get; } = new([]);
    public static TrustedProxies Loopback { get; } = new([System.Net.IPNetwork.Parse("127.0.0.0/8"), System.Net.IPNetwork.Parse("::1/128")]);

    public bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return networks.Any(n => n.Contains(address));
    }

    public static bool TryParse(string text, out TrustedProxies proxies)
    {
        var list = new List<System.Net.IPNetwork>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (System.Net.IPNetwork.TryParse(part, out var network)) list.Add(network);
            else if (IPAddress.TryParse(part, out var address)) list.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else
            {
                proxies = None;
                return false;
            }
        }
        proxies = new TrustedProxies(list);
        return true;
    }
}
