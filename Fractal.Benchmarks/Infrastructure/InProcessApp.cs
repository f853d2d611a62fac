using Fractal.Functions.OAuth;
using Microsoft.AspNetCore.Http;

namespace Fractal.Benchmarks.Infrastructure;

/// <summary>
/// What the in-process (BenchmarkDotNet) cases measure against: the app's services over an Azurite of their own, a
/// tenant with its consumer, and an access token of its user, plus a request to the MCP endpoint carrying that token.
/// </summary>
public sealed class InProcessApp : IAsyncDisposable
{
    private readonly BenchContext _bench;

    private InProcessApp(BenchContext bench, BenchHost host, BenchPlant plant, string token) => (_bench, Host, Plant, Token) = (bench, host, plant, token);

    public BenchHost Host { get; }
    public BenchPlant Plant { get; }
    public string Token { get; }

    public static async Task<InProcessApp> StartAsync()
    {
        var bench = await BenchContext.StartAsync();
        var host = await BenchHost.StartAsync(bench.Azurite, bench.WorkFolder);
        var plant = await BenchPlant.CreateAsync(host, loadDemoPlant: false);
        var (token, _) = await plant.TokensAsync();
        return new InProcessApp(bench, host, plant, token);
    }

    /// <summary>A POST to the MCP endpoint with the bearer token, as Kestrel would hand it over (no body yet).</summary>
    public DefaultHttpContext McpRequest()
    {
        var context = new DefaultHttpContext { RequestServices = Host.Services };
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(new Uri(Host.BaseUrl).Authority);
        context.Request.Path = OAuthResources.McpPath;
        context.Request.Method = HttpMethods.Post;
        context.Request.Headers.Authorization = "Bearer " + Token;
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await _bench.DisposeAsync();
    }
}
