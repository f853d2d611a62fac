using System.Net;
using Fractal.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fractal.Functions.Tests.Reliability;

/// <summary>Every endpoint of the route map, with Table Storage or the secret store gone and back.</summary>
public sealed class StorageOutageTests(ITestOutputHelper output)
{
    /// <summary>
    /// The bound on an answer while a dependency is refused: the storage clients retry at most twice with short
    /// back-off (ServiceComposition), so a refused connection becomes a 503 in well under a second or two.
    /// </summary>
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task With_table_storage_unreachable_every_endpoint_answers_503_with_retry_after_in_its_own_format_and_recovers_when_storage_returns()
    {
        await using var azurite = await Azurite.StartAsync();
        await using var cable = StorageCable.Connect(azurite);
        await using var vault = await FakeKeyVault.StartAsync();
        var logs = new CapturedLogs();
        await using var app = await TestApp.StartAsync(Via(cable), azurite: azurite, vault: vault, services: logs.AddTo);
        var tenant = await TestTenant.CreateAsync(app);
        using var walk = await OutageWalk.PrepareAsync(app, tenant);

        cable.Cut();
        var down = await walk.WalkAsync();
        foreach (var a in down) output.WriteLine($"{(int)a.Status} {a.ContentType} RA={a.RetryAfter} {a.Elapsed.TotalMilliseconds:F0}ms {a.Request}");
        AssertEveryAnswerIsAnOutageInItsFormat(down, storageFree: StorageFreeRoutes);

        cable.Reconnect();
        var up = await walk.WalkAsync();
        foreach (var line in logs.Lines.Where(l => l.Contains("Exception"))) output.WriteLine(line);
        Assert.All(up, a => Assert.True((int)a.Status < 500, $"{a.Request} answered {(int)a.Status} after storage returned: {Snippet(a.Body)}"));
    }

    [Fact]
    public async Task With_the_secret_store_failing_every_endpoint_that_needs_it_answers_503_with_retry_after_and_recovers_when_it_returns()
    {
        await using var azurite = await Azurite.StartAsync();
        await using var vault = await FakeKeyVault.StartAsync();
        await using var app = await TestApp.StartAsync(azurite: azurite, vault: vault);
        var tenant = await TestTenant.CreateAsync(app);
        using var walk = await OutageWalk.PrepareAsync(app, tenant);

        vault.Available = false;
        var down = await walk.WalkAsync();
        foreach (var a in down) output.WriteLine($"{(int)a.Status} {a.ContentType} RA={a.RetryAfter} {a.Elapsed.TotalMilliseconds:F0}ms {a.Request}");
        // Most endpoints never touch the vault (secrets are verified against hashes in storage, keys are cached):
        // they go on answering. Whatever does need it must answer 503 in its format, never 500.
        Assert.All(down, a => Assert.True(a.Status != HttpStatusCode.InternalServerError, $"{a.Request} answered 500: {Snippet(a.Body)}"));
        AssertEveryAnswerIsAnOutageInItsFormat(down.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList(), storageFree: []);

        vault.Available = true;
        var up = await walk.WalkAsync();
        Assert.All(up, a => Assert.True((int)a.Status < 500, $"{a.Request} answered {(int)a.Status} after the vault returned: {Snippet(a.Body)}"));
    }

    /// <summary>Routes whose answer needs no storage at all (published documents, keys held in memory, method rules).</summary>
    private static readonly string[] StorageFreeRoutes =
    [
        "GET /.well-known/", "GET /oauth/jwks", "GET /mcp/", "DELETE /mcp/", "GET /oauth/token", "GET /oauth/register",
    ];

    private static void AssertEveryAnswerIsAnOutageInItsFormat(IReadOnlyList<OutageWalk.Answer> answers, string[] storageFree)
    {
        Assert.NotEmpty(answers);
        foreach (var a in answers)
        {
            Assert.True(a.Elapsed < AnswerBound, $"{a.Request} took {a.Elapsed}");
            if (storageFree.Any(prefix => a.Request.StartsWith(prefix, StringComparison.Ordinal)))
            {
                Assert.True(a.Status != HttpStatusCode.InternalServerError, $"{a.Request} answered 500");
                continue;
            }
            Assert.True(a.Status == HttpStatusCode.ServiceUnavailable, $"{a.Request} answered {(int)a.Status}: {Snippet(a.Body)}");
            Assert.True(a.RetryAfter is not null, $"{a.Request} has no Retry-After");
            var path = a.Request.Split(' ')[1];
            if (path == "/health")
            {
                Assert.Equal("application/json", a.ContentType);
                Assert.Contains("\"unhealthy\"", a.Body);
            }
            else if (path.StartsWith("/mcp", StringComparison.Ordinal))
            {
                Assert.Contains("\"jsonrpc\":\"2.0\"", a.Body);
                Assert.Contains("\"code\":-32001", a.Body);
            }
            else if (path.StartsWith("/api", StringComparison.Ordinal))
            {
                Assert.Equal("application/problem+json", a.ContentType);
            }
            else if (path.StartsWith("/oauth/authorize", StringComparison.Ordinal) || !path.StartsWith("/oauth", StringComparison.Ordinal))
            {
                Assert.Equal("text/html", a.ContentType);
                Assert.Contains("briefly unavailable", a.Body);
            }
            else
            {
                Assert.Equal("application/json", a.ContentType);
                Assert.Contains("\"error\":\"temporarily_unavailable\"", a.Body);
            }
        }
    }

    // Both registration options on, so /oauth/register is walked as a working endpoint, not a disabled one.
    private static Dictionary<string, string?> Via(StorageCable cable) => new()
    {
        ["Storage:ConnectionString"] = cable.ConnectionString,
        ["Registration:DynamicClientsEnabled"] = "true",
        ["Registration:MetadataDocumentsEnabled"] = "true",
    };

    private static string Snippet(string body) => body.Length > 300 ? body[..300] : body;
}
