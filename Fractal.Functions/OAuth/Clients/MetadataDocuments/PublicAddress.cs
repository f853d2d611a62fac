using System.Net;
using System.Net.Sockets;

namespace Fractal.Functions.OAuth.Clients.MetadataDocuments;

/// <summary>
/// Whether an address is on the public internet. A client_id URL is chosen by whoever starts an
/// authorization request, so fetching it must not reach this server's own network (SSRF, RFC 9700 §4.x and
/// the CIMD draft's security considerations): loopback, private, link-local (cloud metadata endpoints such
/// as 169.254.169.254), carrier-grade NAT, multicast, unspecified and reserved ranges are refused.
/// </summary>
public static class PublicAddress
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0                                   // "this network"
                     || b[0] == 10                               // private
                     || (b[0] == 100 && b[1] >= 64 && b[1] < 128) // carrier-grade NAT
                     || b[0] == 127                              // loopback
                     || (b[0] == 169 && b[1] == 254)             // link-local, cloud metadata
                     || (b[0] == 172 && b[1] >= 16 && b[1] < 32) // private
                     || (b[0] == 192 && b[1] == 0 && b[2] == 0)  // IETF protocol assignments
                     || (b[0] == 192 && b[1] == 168)             // private
                     || (b[0] == 198 && (b[1] == 18 || b[1] == 19)) // benchmarking
                     || b[0] >= 224);                            // multicast, reserved, broadcast
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)
                     || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                     || (b[0] & 0xFE) == 0xFC                    // unique local fc00::/7
                     || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) // documentation
                     || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B) // NAT64 (could map to private IPv4)
                     || address.IsIPv6Teredo || (b[0] == 0x20 && b[1] == 0x02)); // tunnels that embed IPv4
        }
        return false;
    }
}
