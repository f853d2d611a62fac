using System.Net;

namespace Fractal.Functions.Hosting.Network;

/// <summary>
/// Addresses that many people can share: private networks (RFC 1918), carrier-grade NAT (RFC 6598), link-local
/// (where Azure's platform addresses live) and IPv6 unique-local (RFC 4193). Loopback is not among them: it is a person
/// on this machine (a local run), and under the Functions host the worker has already replaced the host proxy's
/// loopback address with the one that connected to the host. When the resolved client address is one of these, it is most likely a
/// gateway's or the platform's (a misconfigured <c>Network:TrustedProxies</c>/<c>ClientIpHeader</c>), not a person's:
/// per-IP measures that punish everyone behind it (sign-in lockout) must not apply across people.
/// </summary>
public static class SharedAddresses
{
    private static readonly System.Net.IPNetwork[] Ranges =
    [
        System.Net.IPNetwork.Parse("10.0.0.0/8"),
        System.Net.IPNetwork.Parse("172.16.0.0/12"),
        System.Net.IPNetwork.Parse("192.168.0.0/16"),
        System.Net.IPNetwork.Parse("100.64.0.0/10"),
        System.Net.IPNetwork.Parse("169.254.0.0/16"),
        System.Net.IPNetwork.Parse("fc00::/7"),
        System.Net.IPNetwork.Parse("fe80::/10"),
    ];

    public static bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return Ranges.Any(r => r.Contains(address));
    }
}
