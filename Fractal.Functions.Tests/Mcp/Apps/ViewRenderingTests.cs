using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fractal.Functions.Mcp.Apps;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Playwright;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Fractal.Functions.Tests.Mcp.Apps;

/// <summary>
/// The views in headless Chromium, inside a small MCP Apps host page (view-host.html: a sandboxed srcdoc iframe):
/// each is read through resources/read, fed a real tool result from the demo plant, and checked for what it draws;
/// the card's buttons go through the host to the real MCP server. Screenshots: TestResults/screenshots/mcp-app-*.
/// </summary>
public sealed class ViewRenderingTests
{
    private static readonly string HostPage = File.ReadAllText(Path.Combine(RepoPaths.Root, "Fractal.Functions.Tests", "Mcp", "Apps", "view-host.html"));

    /// <summary>A page hosting <paramref name="uri"/>; tools/call from the view goes to <paramref name="calls"/> (when given).</summary>
    private static async Task<(IPage Page, IFrameLocator View)> HostAsync(IBrowserContext context, McpClient reader, string uri, string theme, string locale,
        object toolInput, CallToolResult result, McpClient? calls = null)
    {
        var html = Assert.IsType<TextResourceContents>(Assert.Single((await reader.ReadResourceAsync(uri)).Contents)).Text;
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(760, 1000);
        await page.ExposeFunctionAsync<string, Task<string>>("hostCallTool", async json =>
        {
            if (calls is null) return """{"error":{"code":-32601,"message":"No tools here"}}""";
            var request = JsonNode.Parse(json)!;
            var arguments = request["arguments"]!.AsObject().ToDictionary(a => a.Key, a => (object?)JsonSerializer.SerializeToElement(a.Value));
            var answer = await calls.CallToolAsync(request["name"]!.GetValue<string>(), arguments);
            return JsonSerializer.Serialize(answer, McpJsonUtilities.DefaultOptions);
        });
        await page.SetContentAsync(HostPage);
        var hostContext = new JsonObject { ["theme"] = theme, ["locale"] = locale, ["timeZone"] = "America/Santiago", ["displayMode"] = "inline", ["platform"] = "web" };
        await page.EvaluateAsync("([html, context, input, result]) => loadView(html, JSON.parse(context), JSON.parse(input), JSON.parse(result))",
            new[] { html, hostContext.ToJsonString(), JsonSerializer.Serialize(toolInput), JsonSerializer.Serialize(result, McpJsonUtilities.DefaultOptions) });
        var view = page.FrameLocator("#view");
        await view.Locator("html[data-theme]").WaitForAsync();
        return (page, view);
    }

    private static async Task<JsonArray> FromViewAsync(IPage page) => JsonNode.Parse(await page.EvaluateAsync<string>("JSON.stringify(window.fromView)"))!.AsArray();

    /// <summary>The handshake the spec asks of a view: ui/initialize first, then initialized, then its height.</summary>
    private static async Task AssertHandshakeAsync(IPage page)
    {
        await page.WaitForFunctionAsync("window.fromView.some(m => m.method === 'ui/notifications/size-changed' && m.params.height > 100)");
        var methods = (await FromViewAsync(page)).Select(m => m!["method"]?.GetValue<string>()).ToList();
        Assert.Equal("ui/initialize", methods[0]);
        Assert.True(methods.IndexOf("ui/notifications/initialized") > 0);
        var init = (await FromViewAsync(page))[0]!["params"]!;
        Assert.Equal(AppViews.ProtocolVersion, init["protocolVersion"]!.GetValue<string>());
        Assert.NotNull(init["appInfo"]!["name"]);
    }

    private static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath(name), FullPage = true });

    [Fact]
    public async Task The_kpi_dashboard_draws_one_tile_per_kpi_with_the_value_of_a_real_get_kpis_result()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var input = new Dictionary<string, object?> { ["from"] = "2025-07-01", ["to"] = "2026-07-01" };
        var result = await client.CallToolAsync("get_kpis", input);
        var results = result.Ok().GetProperty("results").EnumerateArray().ToList();

        await using var context = await Chromium.NewContextAsync("en-US");
        var (page, view) = await HostAsync(context, client, AppViews.KpiDashboardUri, "light", "en-US", input, result);
        var tiles = view.Locator(".tile");
        await tiles.First.WaitForAsync();
        await AssertHandshakeAsync(page);

        Assert.Equal(results.Count, await tiles.CountAsync());
        for (var i = 0; i < results.Count; i++)
        {
            var tile = tiles.Nth(i);
            Assert.Equal(results[i].GetProperty("kpi").GetString(), await tile.GetAttributeAsync("data-kpi"));
            var expected = results[i].TryGetProperty("value", out var v) ? v.GetDouble() : (double?)null;
            var drawn = await tile.GetAttributeAsync("data-value");
            Assert.Equal(expected, string.IsNullOrEmpty(drawn) ? null : double.Parse(drawn, CultureInfo.InvariantCulture));
        }
        var failures = results.Single(r => r.GetProperty("kpi").GetString() == "failures").GetProperty("value").GetDouble();
        Assert.Equal(failures.ToString("#,##0", CultureInfo.GetCultureInfo("en-US")), await view.Locator(".tile[data-kpi=failures] .number").InnerTextAsync());
        Assert.Equal("Maintenance KPIs", await view.Locator("h1").InnerTextAsync());
        Assert.Equal(results.Count - 2, await view.Locator(".tile svg.spark").CountAsync()); // backlog and overdue are snapshots: no trend
        Assert.Equal(12, await view.Locator(".tile[data-kpi=failures] svg.spark circle").CountAsync());
        Assert.Equal("light", await view.Locator("html").GetAttributeAsync("data-theme"));

        // The formula shows on keyboard focus, not only on hover.
        var mttr = view.Locator(".tile[data-kpi=mttr]");
        Assert.False(await mttr.Locator(".formula").IsVisibleAsync());
        await mttr.FocusAsync();
        Assert.True(await mttr.Locator(".formula").IsVisibleAsync());
        Assert.Contains(results.Single(r => r.GetProperty("kpi").GetString() == "mttr").GetProperty("formula").GetString()!, await mttr.Locator(".formula").InnerTextAsync());
        await ScreenshotAsync(page, "mcp-app-kpi-dashboard-en-light");
    }

    [Fact]
    public async Task The_bad_actor_chart_draws_one_bar_per_asset_of_a_real_ranking_in_spanish_and_dark()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var input = new Dictionary<string, object?> { ["from"] = "2025-07-01", ["to"] = "2026-07-01", ["by"] = "downtime_hours", ["top"] = 6 };
        var result = await client.CallToolAsync("rank_bad_actors", input);
        var assets = result.Ok().GetProperty("assets").EnumerateArray().ToList();

        await using var context = await Chromium.NewContextAsync("es-CL");
        var (page, view) = await HostAsync(context, client, AppViews.KpiDashboardUri, "dark", "es-CL", input, result);
        var bars = view.Locator("svg.chart rect.bar");
        await bars.First.WaitForAsync();
        await AssertHandshakeAsync(page);

        Assert.Equal(6, assets.Count);
        Assert.Equal(assets.Count, await bars.CountAsync());
        var rows = view.Locator("svg.chart .row");
        Assert.Equal(assets.Select(a => a.GetProperty("assetId").GetString()), await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.asset)"));
        var widths = (await bars.EvaluateAllAsync<double[]>("bars => bars.map(b => parseFloat(b.getAttribute('width')))")).ToList();
        Assert.Equal(widths.OrderDescending(), widths); // longest first, as ranked
        Assert.StartsWith("Equipos críticos por horas detenido", await view.Locator("h1").InnerTextAsync());
        Assert.Equal("es", await view.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("dark", await view.Locator("html").GetAttributeAsync("data-theme"));
        await ScreenshotAsync(page, "mcp-app-bad-actors-es-dark");
    }

    [Fact]
    public async Task The_work_order_card_draws_status_and_tasks_and_its_button_sends_the_transition_through_the_host()
    {
        var plant = await McpPlant.GetAsync();
        var folio = await McpAppsProtocolTests.NewOrderAsync(plant, done: 2);
        await using var supervisor = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        var result = await supervisor.CallAsync("get_work_order", ("folio", folio));
        var order = result.Ok().GetProperty("order");

        await using var context = await Chromium.NewContextAsync("en-US");
        var (page, view) = await HostAsync(context, supervisor, AppViews.WorkOrderCardUri, "light", "en-US", new { folio }, result, calls: supervisor);
        var status = view.Locator("header .status");
        await status.WaitForAsync();
        await AssertHandshakeAsync(page);

        Assert.Equal("in_process", await status.GetAttributeAsync("data-status"));
        Assert.Equal("In process", await status.InnerTextAsync());
        Assert.Equal(folio, await view.Locator(".folio").InnerTextAsync());
        Assert.Equal(order.GetProperty("tasks").GetArrayLength(), await view.Locator("li.task").CountAsync());
        Assert.Equal(2, await view.Locator("li.task[data-done=true]").CountAsync());
        Assert.Equal("(2 of 2 done)", await view.Locator(".tasks-done").TextContentAsync());
        Assert.Equal(["in_review", "cancelled"], await view.Locator("button[data-to]").EvaluateAllAsync<string[]>("b => b.map(x => x.dataset.to)"));

        await view.Locator("button[data-to=in_review]").ClickAsync();
        await view.Locator("header .status[data-status=in_review]").WaitForAsync();

        var call = (await FromViewAsync(page)).Single(m => m!["method"]?.GetValue<string>() == "tools/call")!["params"]!;
        Assert.Equal("transition_work_order", call["name"]!.GetValue<string>());
        Assert.Equal(folio, call["arguments"]!["folio"]!.GetValue<string>());
        Assert.Equal("in_review", call["arguments"]!["to"]!.GetValue<string>());
        Assert.Equal(order.GetProperty("revision").GetInt32(), call["arguments"]!["expected_revision"]!.GetValue<int>());
        Assert.Matches("^[0-9a-f]{32}$", call["arguments"]!["idempotency_key"]!.GetValue<string>());

        Assert.Equal("In review", await status.InnerTextAsync());
        Assert.Equal($"{folio} is now In review.", await view.Locator(".notice").InnerTextAsync());
        Assert.Equal(2, await view.Locator(".timeline li").CountAsync());
        Assert.Equal(["in_process", "completed", "cancelled"], await view.Locator("button[data-to]").EvaluateAllAsync<string[]>("b => b.map(x => x.dataset.to)"));
        Assert.Equal("in_review", (await supervisor.CallAsync("get_work_order", ("folio", folio))).Ok().GetProperty("order").GetProperty("status").GetString());
        await ScreenshotAsync(page, "mcp-app-work-order-card-en-light");
    }

    [Fact]
    public async Task The_work_order_card_of_an_overdue_order_shows_an_overdue_badge_counting_plant_days()
    {
        var plant = await McpPlant.GetAsync();
        var now = Fractal.Functions.Maintenance.Demo.DemoPlant.ReferenceDate;
        var clock = Fractal.Functions.Maintenance.Demo.DemoPlant.Clock;
        var overdue = Fractal.Functions.Maintenance.Demo.DemoGenerator.Generate().WorkOrders.Select(w => w.Order)
            .Where(o => o.IsOverdue(now)).OrderBy(o => o.DueAt).First();
        var days = clock.LocalDate(now).DayNumber - clock.LocalDate(overdue.DueAt!.Value).DayNumber;
        await using var viewer = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var result = await viewer.CallAsync("get_work_order", ("folio", overdue.Folio));

        await using var context = await Chromium.NewContextAsync("es-CL");
        var (page, view) = await HostAsync(context, viewer, AppViews.WorkOrderCardUri, "light", "es-CL", new { folio = overdue.Folio }, result);
        var badge = view.Locator("header .overdue");
        await badge.WaitForAsync();
        Assert.Equal($"Vencida hace {days} días", await badge.InnerTextAsync());
        Assert.Equal(days.ToString(CultureInfo.InvariantCulture), await badge.GetAttributeAsync("data-overdue"));
        await ScreenshotAsync(page, "mcp-app-work-order-card-es-overdue");

        // An order that is not past due has no badge.
        var folio = await McpAppsProtocolTests.NewOrderAsync(plant, done: 1);
        var (_, fresh) = await HostAsync(context, viewer, AppViews.WorkOrderCardUri, "light", "es-CL", new { folio }, await viewer.CallAsync("get_work_order", ("folio", folio)));
        await fresh.Locator("header .status").WaitForAsync();
        Assert.Equal(0, await fresh.Locator("header .overdue").CountAsync());
    }

    [Fact]
    public async Task The_work_order_card_shows_the_refusal_when_the_user_lacks_the_permission_in_spanish_and_dark()
    {
        var plant = await McpPlant.GetAsync();
        var folio = await McpAppsProtocolTests.NewOrderAsync(plant, done: 1);
        await using var supervisor = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        var result = await supervisor.CallAsync("get_work_order", ("folio", folio));
        // The card was drawn for a supervisor, but the host's connection now acts for a viewer (a role changed, or
        // another person's connection): the server refuses and the card says so.
        await using var viewer = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));

        await using var context = await Chromium.NewContextAsync("es-CL");
        var (page, view) = await HostAsync(context, supervisor, AppViews.WorkOrderCardUri, "dark", "es-CL", new { folio }, result, calls: viewer);
        var status = view.Locator("header .status");
        await status.WaitForAsync();
        Assert.Equal("En proceso", await status.InnerTextAsync());
        Assert.Equal("(1 de 2 hechas)", await view.Locator(".tasks-done").TextContentAsync());

        // By keyboard: Enter on the cancel button opens the reason, which takes the focus; Enter on the confirmation sends.
        await view.Locator("button[data-to=cancelled]").PressAsync("Enter");
        var reason = view.Locator("textarea#reason");
        await reason.WaitForAsync();
        Assert.True(await reason.EvaluateAsync<bool>("t => t === document.activeElement"));
        await reason.FillAsync("Orden duplicada");
        await view.Locator("button[data-confirm=cancelled]").PressAsync("Enter");

        var alert = view.Locator(".error[role=alert]");
        await alert.WaitForAsync();
        Assert.Contains("'workorders.cancel'", await alert.InnerTextAsync());
        var call = (await FromViewAsync(page)).Single(m => m!["method"]?.GetValue<string>() == "tools/call")!["params"]!;
        Assert.Equal("cancelled", call["arguments"]!["to"]!.GetValue<string>());
        Assert.Equal("Orden duplicada", call["arguments"]!["reason"]!.GetValue<string>());
        Assert.Equal("in_process", await status.GetAttributeAsync("data-status"));
        Assert.Equal("in_process", (await supervisor.CallAsync("get_work_order", ("folio", folio))).Ok().GetProperty("order").GetProperty("status").GetString());
        Assert.Equal("es", await view.Locator("html").GetAttributeAsync("lang"));
        await ScreenshotAsync(page, "mcp-app-work-order-card-es-dark-refused");
    }
}
