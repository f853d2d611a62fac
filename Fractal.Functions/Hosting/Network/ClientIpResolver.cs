using System.Net;
using Fractal.Functions.Hosting.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Hosting.Network;

/// <summary>
/// The one place that decides a request's client IP (sign-in throttling, rate limits, audit).
/// <c>X-Forwarded-For</c> is believed only as far as it was appended by trusted proxies: walking the list
/// from the right, each hop added by a trusted proxy is skipped and the first untrusted address is the
/// client. Anything a client wrote itself sits further left and is ignored.
/// Behind a gateway under the Functions host (whose proxy replaces <c>X-Forwarded-For</c> with the gateway's address),
/// <c>Network:ClientIpHeader</c> names the gateway's own header; it too is believed only from a trusted address.
/// </summary>
public sealed class ClientIpResolver
{
    private readonly TrustedProxies _trusted;
    private readonly string? _clientIpHeader;

    public ClientIpResolver(IOptions<NetworkOptions> options, HostingContext hosting)
    {
        var configured = options.Value.TrustedProxies?.Trim();
        _trusted = string.IsNullOrEmpty(configured)
            ? hosting.Mode == HostingMode.FunctionsHost ? TrustedProxies.Loopback : TrustedProxies.None
            : configured == "none" ? TrustedProxies.None
            : TrustedProxies.TryParse(configured, out var parsed) ? parsed : TrustedProxies.None;
        _clientIpHeader = string.IsNullOrWhiteSpace(options.Value.ClientIpHeader) ? null : options.Value.ClientIpHeader.Trim();
    }

    public IPAddress Resolve(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        if (!_trusted.Contains(remote)) return remote;

        // The gateway sets this header itself, replacing whatever the client sent; only a gateway's word counts, so a
        // client that reaches the app directly (an untrusted address, returned above) cannot choose its address.
        if (_clientIpHeader is not null && context.Request.Headers[_clientIpHeader] is { Count: 1 } named
            && TryParseHop(named.ToString().Trim(), out var fromGateway)) return fromGateway;

        var hops = context.Request.Headers["X-Forwarded-For"].ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!TryParseHop(hops[i], out var hop)) return remote;
            if (!_trusted.Contains(hop)) return hop;
            remote = hop;
        }
        return remote;
    }

    private static bool TryParseHop(string text, out IPAddress address)
    {
        // Accept "1.2.3.4", "1.2.3.4:567", "[::1]:567" and "::1".
        if (IPAddress.TryParse(text, out address!)) return Normalize(ref address);
        if (IPEndPoint.TryParse(text, out var endpoint))
        {
            address = endpoint.Address;
            return Normalize(ref address);
        }
        address = IPAddress.None;
        return false;
    }

    private static bool Normalize(ref IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return true;
    }
}
