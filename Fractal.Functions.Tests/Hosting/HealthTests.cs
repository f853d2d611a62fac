using System.Net;
using System.Text.Json.Nodes;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Hosting;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_is_200_with_both_dependencies_healthy()
    {
        var app = await TestApp.Shared;
        using var response = await app.Http.GetAsync("/health");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", body["status"]!.GetValue<string>());
        Assert.Equal("healthy", body["checks"]!["tableStorage"]!["status"]!.GetValue<string>());
        Assert.Equal("healthy", body["checks"]!["secretStore"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_turns_503_within_seconds_when_table_storage_stops_and_recovers_when_it_returns()
    {
        await using var azurite = await Azurite.StartAsync();
        await using var app = await TestApp.StartAsync(azurite: azurite);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/health")).StatusCode);

        await azurite.StopProcessAsync();
        var started = DateTime.UtcNow;
        using var down = await app.Http.GetAsync("/health");
        var elapsed = DateTime.UtcNow - started;
        var body = JsonNode.Parse(await down.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("unhealthy", body["checks"]!["tableStorage"]!["status"]!.GetValue<string>());
        Assert.Equal("healthy", body["checks"]!["secretStore"]!["status"]!.GetValue<string>());
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}");

        await azurite.StartProcessAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Health_turns_503_when_the_secret_store_fails()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        await using var app = await TestApp.StartAsync(vault: vault);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/health")).StatusCode);

        vault.Available = false;
        using var down = await app.Http.GetAsync("/health");
        var body = JsonNode.Parse(await down.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("unhealthy", body["checks"]!["secretStore"]!["status"]!.GetValue<string>());
        Assert.Equal("healthy", body["checks"]!["tableStorage"]!["status"]!.GetValue<string>());

        vault.Available = true;
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Health_responses_are_not_cached()
    {
        var app = await TestApp.Shared;
        using var response = await app.Http.GetAsync("/health");
        Assert.True(response.Headers.CacheControl?.NoStore);
    }
}
