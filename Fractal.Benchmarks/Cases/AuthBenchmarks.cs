using BenchmarkDotNet.Attributes;
using Fractal.Benchmarks.Infrastructure;
using Fractal.Functions.Mcp;
using Fractal.Functions.OAuth.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Benchmarks.Cases;

/// <summary>
/// Issue 13 case 2: the bearer check on the MCP hot path, in process (BenchmarkDotNet, allocations reported),
/// with the app's services over Azurite and warm status caches (a token's family and user were seen before):
/// a token seen before (no storage round trip, bar &lt; 10 µs), a first-seen token (full JWT validation, bar
/// &lt; 200 µs; also the cost of every call before the seen-token cache existed), and the whole endpoint check
/// (<see cref="McpAuthenticator"/>: token, scope, tenant switch, user's permissions).
/// </summary>
[MemoryDiagnoser]
public class AuthBenchmarks
{
    private InProcessApp _app = null!;
    private BearerTokenValidator _validator = null!;
    private McpAuthenticator _authenticator = null!;
    private HttpRequest _request = null!;

    public static int Run(string[] args) => InProcessBenchmarks.Run<AuthBenchmarks>("Auth hot path", "bar", (r, _) =>
        r.BenchmarkCase.Descriptor.WorkloadMethod.Name switch { nameof(SeenToken) => "< 10 µs", nameof(FirstSeenToken) => "< 200 µs", _ => "" });

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _app = await InProcessApp.StartAsync();
        _validator = _app.Host.Services.GetRequiredService<BearerTokenValidator>();
        _authenticator = _app.Host.Services.GetRequiredService<McpAuthenticator>();
        _request = _app.McpRequest().Request;
        var (caller, _) = await _authenticator.AuthenticateAsync(_request, CancellationToken.None);
        if (caller is null) throw new InvalidOperationException("The benchmark token was refused.");
    }

    [Benchmark(Description = "bearer token seen before (BearerTokenValidator)")]
    public async Task<bool> SeenToken() => (await _validator.ValidateAsync(_app.Token, _app.Host.BaseUrl, _app.Host.McpUrl, CancellationToken.None)).IsValid;

    [Benchmark(Description = "bearer token first seen: signature, claims, family status")]
    public async Task<bool> FirstSeenToken() => (await _validator.ValidateSignedAsync(_app.Token, _app.Host.BaseUrl, _app.Host.McpUrl, CancellationToken.None)).IsValid;

    [Benchmark(Description = "MCP endpoint check, token seen before (McpAuthenticator)")]
    public async Task<bool> EndpointCheck() => (await _authenticator.AuthenticateAsync(_request, CancellationToken.None)).Caller is not null;

    [GlobalCleanup]
    public Task CleanupAsync() => _app.DisposeAsync().AsTask();
}
