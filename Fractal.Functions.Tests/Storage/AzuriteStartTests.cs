using System.Net;
using System.Net.Sockets;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Storage;

/// <summary>The suite's emulator start: a test never ends up talking to another test's Azurite.</summary>
public sealed class AzuriteStartTests
{
    [Fact]
    public async Task Starting_on_a_port_something_else_listens_on_fails_instead_of_using_that_listener()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var azurite = Azurite.OnPort(((IPEndPoint)other.LocalEndpoint).Port);
        await using (azurite)
        {
            await Assert.ThrowsAsync<Azurite.PortTakenException>(azurite.StartProcessAsync);
        }
    }

    [Fact]
    public async Task A_started_instance_answers_on_its_own_port()
    {
        await using var azurite = await Azurite.StartAsync();
        using var http = new HttpClient();
        using var response = await http.GetAsync($"http://127.0.0.1:{azurite.Port}/devstoreaccount1/Tables");
        Assert.Contains("azurite", string.Join(",", response.Headers.Server.Select(s => s.ToString())), StringComparison.OrdinalIgnoreCase);
    }
}
