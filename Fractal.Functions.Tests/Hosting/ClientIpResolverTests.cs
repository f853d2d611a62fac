using System.Net;
using Fractal.Functions.Hosting;
using Fractal.Functions.Hosting.Network;
using Fractal.Functions.Hosting.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Tests.Hosting;

public sealed class ClientIpResolverTests
{
    private static IPAddress Resolve(HostingMode mode, string? trusted, string remote, string? forwardedFor,
        string? clientIpHeader = null, params string[] gatewaySays)
    {
        var resolver = new ClientIpResolver(Options.Create(new NetworkOptions { TrustedProxies = trusted, ClientIpHeader = clientIpHeader }), new HostingContext(mode));
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (forwardedFor is not null) context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        if (gatewaySays.Length > 0) context.Request.Headers["X-Azure-ClientIP"] = gatewaySays;
        return resolver.Resolve(context);
    }

    // Under the Functions host the worker has already applied the host's X-Forwarded-For (which the host's proxy set to
    // the address that connected to it): behind Front Door the remote address is the gateway's, and XFF is gone.
    private const string FrontDoorRange = "147.243.0.0/16";
    private const string FrontDoor = "147.243.10.20";

    [Fact]
    public void Behind_a_gateway_under_the_functions_host_its_client_header_names_the_client()
    {
        Assert.Equal(IPAddress.Parse("203.0.113.9"), Resolve(HostingMode.FunctionsHost, FrontDoorRange, FrontDoor, null, "X-Azure-ClientIP", "203.0.113.9"));
    }

    [Fact]
    public void Without_the_setting_the_gateways_header_is_not_read_and_everyone_is_the_gateway()
    {
        Assert.Equal(IPAddress.Parse(FrontDoor), Resolve(HostingMode.FunctionsHost, FrontDoorRange, FrontDoor, null, null, "203.0.113.9"));
    }

    [Fact]
    public void A_client_header_forged_by_a_client_that_reaches_the_app_directly_is_ignored()
    {
        Assert.Equal(IPAddress.Parse("198.51.100.7"), Resolve(HostingMode.FunctionsHost, FrontDoorRange, "198.51.100.7", null, "X-Azure-ClientIP", "203.0.113.9"));
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.10")] // sent twice: not the gateway's single word
    [InlineData("not-an-ip")]
    public void A_client_header_that_is_not_one_address_falls_back_to_the_forwarded_walk(params string[] gatewaySays)
    {
        Assert.Equal(IPAddress.Parse("198.51.100.30"),
            Resolve(HostingMode.Standalone, "127.0.0.1", "127.0.0.1", "198.51.100.30", "X-Azure-ClientIP", gatewaySays));
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("100.64.0.7", true)] // carrier-grade NAT
    [InlineData("127.0.0.1", false)] // a person on this machine: a local run
    [InlineData("169.254.130.1", true)] // link-local, where Azure's platform addresses live
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("203.0.113.9", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("2001:db8::1", false)]
    public void Private_and_platform_addresses_are_told_apart_from_a_persons(string address, bool shared)
    {
        Assert.Equal(shared, SharedAddresses.Contains(IPAddress.Parse(address)));
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
