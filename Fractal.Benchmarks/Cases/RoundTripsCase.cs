using Fractal.Benchmarks.Infrastructure;
using Fractal.Benchmarks.Load;

namespace Fractal.Benchmarks.Cases;

/// <summary>
/// Issue 13 case 3: storage round trips per operation, counted (not estimated) by a pipeline policy in the
/// Table client, on a warm instance: each operation is done once untagged, then counted on its second run.
/// </summary>
public static class RoundTripsCase
{
    /// <summary>The read tools with arguments that find demo-plant records.</summary>
    public static IReadOnlyList<(string Tool, string Arguments)> ReadTools(string folio) =>
    [
        ("get_work_order", $"{{\"folio\":\"{folio}\"}}"),
        ("list_work_orders", "{}"),
        ("list_assets", "{}"),
        ("get_asset", "{\"id\":\"CMP-02\"}"),
        ("get_location_tree", "{}"),
        ("get_asset_downtime", "{\"asset_id\":\"LLE-01\"}"),
        ("list_meters", "{}"),
        ("list_requests", "{}"),
        ("list_pending_tasks", "{}"),
        ("check_stock", "{}"),
        ("get_kpis", $"{{{RecentYear()}}}"),
        ("rank_bad_actors", $"{{{RecentYear()}}}"),
        ("search", "{\"query\":\"compresor\"}"),
        ("fetch", $"{{\"id\":\"wo:{folio}\"}}"),
    ];

    /// <summary>The twelve months up to the end of this month: a KPI period ending near now, as questions usually ask.</summary>
    private static string RecentYear()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var to = new DateOnly(today.Year, today.Month, 1).AddMonths(1);
        return $"\"from\":\"{to.AddMonths(-12):yyyy-MM-dd}\",\"to\":\"{to:yyyy-MM-dd}\"";
    }

    public static async Task RunAsync(BenchContext bench)
    {
        await using var host = await BenchHost.StartAsync(bench.Azurite, bench.WorkFolder);
        var plant = await BenchPlant.CreateAsync(host, loadDemoPlant: true);
        var rows = new List<IReadOnlyList<string>>();

        // Token endpoint: one untagged warm-up (signing key, consumer), then the counted call.
        var (_, refresh) = await plant.TokensAsync();
        var (code, verifier) = await plant.CodeAsync();
        await plant.PostTokenAsync(plant.ExchangeForm(code, verifier), "code_exchange");
        rows.Add(Row("token: authorization_code", host.Counter.Find("code_exchange")!, "≤ 4"));
        refresh = (await plant.PostTokenAsync(plant.RefreshForm(refresh)))["refresh_token"]!.GetValue<string>();
        await plant.PostTokenAsync(plant.RefreshForm(refresh), "refresh");
        rows.Add(Row("token: refresh_token", host.Counter.Find("refresh")!, "≤ 3"));

        var (token, _) = await plant.TokensAsync();
        using var http = new HttpClient();
        foreach (var (tool, arguments) in ReadTools(plant.Folio!))
        {
            var body = McpCase.ToolCall(tool, arguments);
            var target = new LoadTarget(tool, host.McpUrl, body, McpCase.Headers(token, true));
            await McpCase.SendAsync(http, target);
            var counted = target with { Headers = new Dictionary<string, string>(target.Headers) { ["X-Bench-Op"] = "tool:" + tool } };
            var text = await McpCase.SendAsync(http, counted);
            var note = text.Contains("\"isError\":true", StringComparison.Ordinal) ? " (tool error)" : "";
            rows.Add(Row($"tools/call {tool}{note}", host.Counter.Find("tool:" + tool)!, "≤ 2"));
        }

        Report.Line("### Storage round trips per operation (warm instance, counted by an Azure SDK pipeline policy)");
        Report.Line();
        Report.Table(["operation", "round trips", "bar", "requests"], rows);
    }

    private static IReadOnlyList<string> Row(string operation, RoundTripCounter.Scope scope, string bar) =>
        [operation, scope.Count.ToString(), bar, string.Join("; ", scope.Calls.GroupBy(c => Shorten(c)).Select(g => g.Count() > 1 ? $"{g.Key} ×{g.Count()}" : g.Key))];

    // "GET Consumers(PartitionKey='t',RowKey='c')" → "GET Consumers(…)": the table and the verb say enough.
    private static string Shorten(string call) => call.IndexOf('(') is var i and > 0 ? call[..i] + "(…)" : call;
}
