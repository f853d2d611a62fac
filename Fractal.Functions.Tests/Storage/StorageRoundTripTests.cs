using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Fractal.Functions.Maintenance.Demo;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Storage;

/// <summary>
/// Storage round trips per operation on a warm instance (issue 13), counted by a pipeline policy in the Table
/// client, not estimated. Counts are deterministic, so they are asserted; docs/performance.md publishes them.
/// The status caches have their production bound here (60 s), as on a warm instance.
/// </summary>
public sealed class StorageRoundTripTests : IAsyncLifetime
{
    private Azurite _azurite = null!;
    private TestApp _app = null!;
    private TestTenant _tenant = null!;
    private StorageRoundTrips _counter = null!;

    public async Task InitializeAsync()
    {
        // An Azurite of its own: two tests load the demo plant, which would hold up the shared emulator (see McpPlant).
        _azurite = await Azurite.StartAsync();
        _app = await TestApp.StartAsync(new Dictionary<string, string?> { ["OAuth:StatusCacheSeconds"] = "60" }, StorageRoundTrips.AddTo, azurite: _azurite);
        _tenant = await TestTenant.CreateAsync(_app);
        _counter = _app.Services.GetRequiredService<StorageRoundTrips>();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task A_code_exchange_costs_three_round_trips_consumer_code_and_the_redemption_transaction()
    {
        await OAuthFlow.TokensAsync(_app, _tenant); // warm: signing key, caches
        var code = await OAuthFlow.CodeAsync(_app, _tenant);
        var (response, _) = await PostTokenAsync("exchange", new()
        {
            ["grant_type"] = "authorization_code", ["code"] = code.Code, ["code_verifier"] = code.Requests.Verifier, ["redirect_uri"] = code.RedirectUri,
        });
        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(["GET Consumers", "GET Grants", "POST $batch"], Tables(_counter.Of("exchange")));
    }

    [Fact]
    public async Task A_refresh_costs_three_round_trips_consumer_family_and_the_rotation()
    {
        var tokens = await OAuthFlow.TokensAsync(_app, _tenant);
        var (first, body) = await PostTokenAsync("refresh-1", new() { ["grant_type"] = "refresh_token", ["refresh_token"] = tokens["refresh_token"]!.GetValue<string>() });
        Assert.True(first.IsSuccessStatusCode);
        var (second, _) = await PostTokenAsync("refresh-2", new() { ["grant_type"] = "refresh_token", ["refresh_token"] = body!["refresh_token"]!.GetValue<string>() });
        Assert.True(second.IsSuccessStatusCode);
        Assert.Equal(["GET Consumers", "GET Grants", "PUT Grants"], Tables(_counter.Of("refresh-2")));
    }

    [Fact]
    public async Task A_warm_read_tool_costs_its_own_reads_only_get_work_order_two_and_list_work_orders_one()
    {
        await _app.Services.GetRequiredService<DemoPlantLoader>().LoadAsync(_tenant.Id, CancellationToken.None);
        var token = (await OAuthFlow.TokensAsync(_app, _tenant))["access_token"]!.GetValue<string>();
        var list = await CallToolAsync(token, null, "list_work_orders", "{\"page_size\":1}");
        var folio = JsonNode.Parse(list)!["result"]!["structuredContent"]!["items"]![0]!["folio"]!.GetValue<string>();

        await CallToolAsync(token, "list", "list_work_orders", "{}");
        await CallToolAsync(token, "get", "get_work_order", $"{{\"folio\":\"{folio}\"}}");

        Assert.Equal(["GET MntWorkOrders"], Tables(_counter.Of("list")));
        Assert.Equal(["GET MntWorkOrders", "GET MntWorkOrders"], Tables(_counter.Of("get")));
    }

    [Fact]
    public async Task Warm_composite_read_tools_cost_two_round_trips_and_search_two_per_query_term()
    {
        await _app.Services.GetRequiredService<DemoPlantLoader>().LoadAsync(_tenant.Id, CancellationToken.None);
        var token = (await OAuthFlow.TokensAsync(_app, _tenant))["access_token"]!.GetValue<string>();
        // A period ending this month (what KPI questions ask for), and one of 2024: months, then open work, downtime and overdue.
        var thisMonth = DateOnly.FromDateTime(DateTime.UtcNow);
        var to = new DateOnly(thisMonth.Year, thisMonth.Month, 1).AddMonths(1);
        var recent = $"\"from\":\"{to.AddMonths(-12):yyyy-MM-dd}\",\"to\":\"{to:yyyy-MM-dd}\"";
        var calls = new (string Tag, string Tool, string Arguments)[]
        {
            ("kpis", "get_kpis", $"{{{recent}}}"),
            ("kpis-by-month", "get_kpis", $"{{{recent},\"group_by\":\"month\",\"scope_asset_id\":\"SRV\"}}"),
            ("kpis-of-2024", "get_kpis", "{\"from\":\"2024-01-01\",\"to\":\"2025-01-01\"}"),
            ("bad-actors", "rank_bad_actors", $"{{{recent}}}"),
            ("bad-actors-of-2024", "rank_bad_actors", "{\"from\":\"2024-01-01\",\"to\":\"2025-01-01\",\"scope_asset_id\":\"L1\"}"),
            ("asset", "get_asset", "{\"id\":\"CMP-02\"}"),
            ("asset-down", "get_asset", "{\"id\":\"TAP-01\"}"), // the demo's one open downtime: first in its order range
            ("asset-above-down", "get_asset", "{\"id\":\"L1-LLEN\"}"), // TAP-01's open-downtime row lies among the orders read
            ("orders-of-asset", "list_work_orders", "{\"asset_id\":\"L1\"}"),
            ("orders-of-down-asset", "list_work_orders", "{\"asset_id\":\"TAP-01\"}"), // its open-downtime row is left out by the service
            ("downtime", "get_asset_downtime", "{\"asset_id\":\"LLE-01\"}"),
            ("search", "search", "{\"query\":\"compresor\"}"),
        };
        foreach (var (_, tool, arguments) in calls) await CallToolAsync(token, null, tool, arguments); // warm: the asset catalogue, settings
        foreach (var (tag, tool, arguments) in calls) await CallToolAsync(token, tag, tool, arguments);

        // Reads that run concurrently finish in any order: compare sorted.
        List<string> Counted(string tag) => Tables(_counter.Of(tag)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["GET MntWorkOrders", "GET MntWorkOrders"], Counted("kpis"));
        Assert.Equal(["GET MntWorkOrders", "GET MntWorkOrders"], Counted("kpis-by-month"));
        Assert.Equal(["GET MntWorkOrders", "GET MntWorkOrders"], Counted("kpis-of-2024")); // an old period too: the open-work row sorts with the open downtime
        Assert.Equal(["GET MntWorkOrders", "GET MntWorkOrders"], Counted("bad-actors"));
        Assert.Equal(["GET MntWorkOrders", "GET MntWorkOrders"], Counted("bad-actors-of-2024"));
        Assert.Equal(["GET MntMeters", "GET MntWorkOrders"], Counted("asset"));
        Assert.Equal(["GET MntMeters", "GET MntWorkOrders"], Counted("asset-down"));
        Assert.Equal(["GET MntMeters", "GET MntWorkOrders"], Counted("asset-above-down"));
        Assert.Equal(["GET MntWorkOrders"], Counted("orders-of-asset"));
        Assert.Equal(["GET MntWorkOrders"], Counted("orders-of-down-asset"));
        Assert.Equal(["GET MntWorkOrders"], Counted("downtime"));
        // Assets, parts and plans come from the instance's copy of their term index (insert-only records).
        Assert.Equal(["GET MntRequests", "GET MntWorkOrders"], Counted("search"));
    }

    /// <summary>"GET Consumers(PartitionKey=...)" → "GET Consumers": the verb and table, without keys.</summary>
    private static List<string> Tables(IEnumerable<string> calls) => calls.Select(c => c.Split('(', '?')[0]).ToList();

    private async Task<(HttpResponseMessage Response, JsonNode? Body)> PostTokenAsync(string tag, Dictionary<string, string> form)
    {
        form["client_id"] = _tenant.ClientId;
        form["client_secret"] = _tenant.ClientSecret;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(StorageRoundTrips.Header, tag);
        var response = await _app.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    /// <summary>A tools/call over plain HTTP; the JSON-RPC response (the SSE event's data).</summary>
    private async Task<string> CallToolAsync(string token, string? tag, string tool, string arguments)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp/oauth/fractal-one")
        {
            Content = new StringContent($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{{\"name\":\"{tool}\",\"arguments\":{arguments}}}}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        if (tag is not null) request.Headers.Add(StorageRoundTrips.Header, tag);
        using var response = await _app.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var data = text.Split('\n').First(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
        Assert.DoesNotContain("\"isError\":true", data);
        return data;
    }
}
