using System.Net;
using Fractal.Functions.Hosting;
using Fractal.Functions.Hosting.Network;
using Fractal.Functions.Hosting.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Tests.Hosting;

public sealed class ClientIpResolverTests
{
    private static IPAddress Resolve(HostingMode mode, string? trusted, string remote, string? forwardedFor)
    {
        var resolver = new ClientIpResolver(Options.Create(new NetworkOptions { TrustedProxies = trusted }), new HostingContext(mode));
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (forwardedFor is not null) context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        return resolver.Resolve(context);
    }

    [Fact]
    public void Under_the_functions_host_the_hosts_loopback_proxy_is_trusted_by_default()
    {
        Assert.Equal(IPAddress.Parse("203.0.113.9"), Resolve(HostingMode.FunctionsHost, "", "127.0.0.1", "203.0.113.9"));
    }

    [Fact]
    public void Standalone_trusts_no_proxy_by_default_so_a_client_cannot_choose_its_ip()
    {
        Assert.Equal(IPAddress.Loopback, Resolve(HostingMode.Standalone, "", "127.0.0.1", "203.0.113.9"));
    }

    [Fact]
    public void Addresses_a_client_wrote_left_of_the_trusted_hops_are_ignored()
    {
        // The client sent "X-Forwarded-For: 1.1.1.1"; the edge proxy appended the real 203.0.113.9, the host appended 10.0.0.5.
        Assert.Equal(IPAddress.Parse("203.0.113.9"),
            Resolve(HostingMode.Standalone, "127.0.0.1, 10.0.0.0/8", "127.0.0.1", "1.1.1.1, 203.0.113.9, 10.0.0.5"));
    }

    [Fact]
    public void None_trusts_nobody_even_under_the_functions_host()
    {
        Assert.Equal(IPAddress.Loopback, Resolve(HostingMode.FunctionsHost, "none", "127.0.0.1", "203.0.113.9"));
    }

    [Fact]
    public void A_malformed_forwarded_entry_stops_the_walk_at_the_last_trusted_hop()
    {
        Assert.Equal(IPAddress.Loopback, Resolve(HostingMode.FunctionsHost, "", "127.0.0.1", "not-an-ip"));
    }
}
