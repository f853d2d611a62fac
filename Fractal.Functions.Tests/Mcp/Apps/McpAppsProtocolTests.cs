using System.Text.Json;
using System.Text.Json.Nodes;
using Fractal.Functions.Audit;
using Fractal.Functions.Mcp.Apps;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Fractal.Functions.Tests.Mcp.Apps;

/// <summary>
/// The MCP Apps extension (io.modelcontextprotocol/ui, 2026-01-26) at the protocol level: the capability, the tools'
/// links to their views as JSON objects on the wire, the two ui:// resources, and the card's app-only tool going
/// through the same permission, audit and idempotency pipeline as the model's write tools.
/// </summary>
public sealed class McpAppsProtocolTests
{
    private static readonly string[] LinkedTools = ["get_kpis", "rank_bad_actors", "get_work_order"];

    [Fact]
    public async Task Initialize_advertises_the_mcp_apps_extension()
    {
        var plant = await McpPlant.GetAsync();
        var result = await RawMcp.ResultAsync(plant, await plant.TokenAsync(plant.A, plant.A.Viewer), "initialize", new JsonObject
        {
            ["protocolVersion"] = "2025-11-25",
            ["capabilities"] = new JsonObject { ["extensions"] = new JsonObject { ["io.modelcontextprotocol/ui"] = new JsonObject { ["mimeTypes"] = new JsonArray("text/html;profile=mcp-app") } } },
            ["clientInfo"] = new JsonObject { ["name"] = "raw", ["version"] = "1" },
        });
        Assert.IsType<JsonObject>(result["capabilities"]!["extensions"]!["io.modelcontextprotocol/ui"]);
        Assert.NotNull(result["capabilities"]!["resources"]);
    }

    [Fact]
    public async Task Tools_list_sends_ui_meta_as_a_json_object_on_the_three_linked_tools()
    {
        var plant = await McpPlant.GetAsync();
        var tools = (await RawMcp.ResultAsync(plant, await plant.TokenAsync(plant.A, plant.A.Viewer), "tools/list"))["tools"]!.AsArray()
            .ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!);
        foreach (var name in LinkedTools)
        {
            var meta = Assert.IsType<JsonObject>(tools[name]["_meta"]);
            var ui = Assert.IsType<JsonObject>(meta["ui"]);
            var uri = ui["resourceUri"]!.GetValue<string>();
            Assert.Equal(name == "get_work_order" ? AppViews.WorkOrderCardUri : AppViews.KpiDashboardUri, uri);
            Assert.Equal(JsonValueKind.String, meta["openai/outputTemplate"]!.GetValueKind());
            Assert.Equal(uri, meta["openai/outputTemplate"]!.GetValue<string>());
            Assert.Null(ui["visibility"]); // default: the model and the app
        }
        Assert.All(tools.Where(t => !LinkedTools.Contains(t.Key)), t => Assert.Null(t.Value["_meta"]));
    }

    [Fact]
    public async Task The_cards_transition_tool_is_listed_only_to_who_may_use_it_and_marked_hidden_from_the_model()
    {
        var plant = await McpPlant.GetAsync();
        var viewer = (await RawMcp.ResultAsync(plant, await plant.TokenAsync(plant.A, plant.A.Viewer), "tools/list"))["tools"]!.AsArray();
        Assert.DoesNotContain(viewer, t => t!["name"]!.GetValue<string>() == "transition_work_order");

        var supervisor = (await RawMcp.ResultAsync(plant, await plant.TokenAsync(plant.A, plant.A.Supervisor), "tools/list"))["tools"]!.AsArray();
        var tool = supervisor.Single(t => t!["name"]!.GetValue<string>() == "transition_work_order")!;
        var meta = Assert.IsType<JsonObject>(tool["_meta"]);
        Assert.Equal(["app"], meta["ui"]!["visibility"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(AppViews.WorkOrderCardUri, meta["ui"]!["resourceUri"]!.GetValue<string>());
        Assert.Equal("private", meta["openai/visibility"]!.GetValue<string>());
        Assert.True(meta["openai/widgetAccessible"]!.GetValue<bool>());
        // Listed to every client (MCP Apps leaves the hiding to the host): a client that is no Apps host reads where to go instead.
        Assert.Contains("update_work_order", tool["description"]!.GetValue<string>());
        Assert.False(tool["annotations"]!["readOnlyHint"]!.GetValue<bool>());
        Assert.True(tool["annotations"]!["destructiveHint"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Resources_list_names_both_views_with_the_mcp_app_mime_type()
    {
        var plant = await McpPlant.GetAsync();
        var resources = (await RawMcp.ResultAsync(plant, await plant.TokenAsync(plant.A, plant.A.Viewer), "resources/list"))["resources"]!.AsArray();
        Assert.Equal([AppViews.KpiDashboardUri, AppViews.WorkOrderCardUri], resources.Select(r => r!["uri"]!.GetValue<string>()).Order());
        Assert.All(resources, r => Assert.Equal("text/html;profile=mcp-app", r!["mimeType"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(AppViews.KpiDashboardUri, "kpi-dashboard")]
    [InlineData(AppViews.WorkOrderCardUri, "work-order-card")]
    public async Task Resources_read_returns_the_view_with_an_empty_csp_a_border_and_chatgpts_keys(string uri, string name)
    {
        var plant = await McpPlant.GetAsync();
        var result = await RawMcp.ResultAsync(plant, await plant.TokenAsync(plant.A, plant.A.Viewer), "resources/read", new JsonObject { ["uri"] = uri });
        var content = Assert.Single(result["contents"]!.AsArray())!;
        Assert.Equal(uri, content["uri"]!.GetValue<string>());
        Assert.Equal("text/html;profile=mcp-app", content["mimeType"]!.GetValue<string>());
        var html = content["text"]!.GetValue<string>();
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains($"fractal-{name}", html);

        var ui = Assert.IsType<JsonObject>(content["_meta"]!["ui"]);
        var csp = Assert.IsType<JsonObject>(ui["csp"]);
        foreach (var list in new[] { "connectDomains", "resourceDomains", "frameDomains", "baseUriDomains" }) Assert.Empty(csp[list]!.AsArray());
        Assert.True(ui["prefersBorder"]!.GetValue<bool>());
        Assert.False(ui.ContainsKey("domain")); // Claude refuses any value but its own hash form

        var widgetCsp = Assert.IsType<JsonObject>(content["_meta"]!["openai/widgetCSP"]);
        Assert.Empty(widgetCsp["connect_domains"]!.AsArray());
        Assert.Empty(widgetCsp["resource_domains"]!.AsArray());
        Assert.Equal(new Uri(plant.App.Issuer()).GetLeftPart(UriPartial.Authority), content["_meta"]!["openai/widgetDomain"]!.GetValue<string>());
        Assert.True(content["_meta"]!["openai/widgetPrefersBorder"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_official_client_reads_both_views_as_text()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        foreach (var uri in new[] { AppViews.KpiDashboardUri, AppViews.WorkOrderCardUri })
        {
            var read = await client.ReadResourceAsync(uri);
            var text = Assert.IsType<TextResourceContents>(Assert.Single(read.Contents));
            Assert.Equal(AppViews.Get(uri).Html, text.Text);
        }
    }

    [Fact]
    public async Task Get_kpis_keeps_its_structured_content_and_sends_one_tile_per_kpi_with_a_monthly_trend_in_meta()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var result = await client.CallToolAsync("get_kpis", new Dictionary<string, object?> { ["from"] = "2025-07-01", ["to"] = "2026-07-01" });
        var structured = result.Ok();
        var results = structured.GetProperty("results").EnumerateArray().ToList();
        Assert.DoesNotContain("trend", structured.GetRawText());

        var view = result.Meta![KpiDashboard.MetaKey]!;
        var tiles = view["tiles"]!.AsArray();
        Assert.Equal(results.Select(r => r.GetProperty("kpi").GetString()), tiles.Select(t => t!["kpi"]!.GetValue<string>()));
        Assert.Equal(results.Select(r => r.TryGetProperty("value", out var v) ? v.GetDouble() : (double?)null), tiles.Select(t => t!["value"]?.GetValue<double>()));
        var failures = tiles.Single(t => t!["kpi"]!.GetValue<string>() == "failures")!["trend"]!.AsArray();
        Assert.Equal(12, failures.Count);
        Assert.Equal("2025-07", failures[0]!["month"]!.GetValue<string>());
        Assert.Equal(results.Single(r => r.GetProperty("kpi").GetString() == "failures").GetProperty("value").GetDouble(), failures.Sum(p => p!["value"]!.GetValue<double>()));
        Assert.Empty(tiles.Single(t => t!["kpi"]!.GetValue<string>() == "backlog_weeks")!["trend"]!.AsArray()); // a snapshot of now
    }

    [Fact]
    public async Task Get_work_order_offers_in_meta_only_the_transitions_the_caller_may_make()
    {
        var plant = await McpPlant.GetAsync();
        var folio = await NewOrderAsync(plant);
        await using var viewer = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        await using var supervisor = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));

        var seenByViewer = (await viewer.CallAsync("get_work_order", ("folio", folio))).Meta![WorkOrderCard.MetaKey]!;
        Assert.Equal("in_process", seenByViewer["status"]!.GetValue<string>());
        Assert.Empty(seenByViewer["transitions"]!.AsArray());
        var seenBySupervisor = (await supervisor.CallAsync("get_work_order", ("folio", folio))).Meta![WorkOrderCard.MetaKey]!;
        Assert.Equal(["in_review", "cancelled"], seenBySupervisor["transitions"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(2, seenBySupervisor["tasks"]!.AsArray().Count);
        Assert.Equal("in_process", Assert.Single(seenBySupervisor["timeline"]!.AsArray())!["to"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_transition_tool_is_refused_to_a_user_without_the_permission_and_audited_as_refused()
    {
        var plant = await McpPlant.GetAsync();
        var folio = await NewOrderAsync(plant);
        await using var technician = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Technician));
        var refused = await technician.CallAsync("transition_work_order", ("folio", folio), ("to", "in_review"), ("idempotency_key", Guid.NewGuid().ToString("N")));
        Assert.True(refused.IsError);
        Assert.Contains("'workorders.write'", refused.Text());

        // A supervisor whose connection was consented read-only is refused too (permissions ∩ scopes).
        await using var readOnly = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor, "maintenance.read offline_access"));
        var cancel = await readOnly.CallAsync("transition_work_order", ("folio", folio), ("to", "cancelled"), ("reason", "duplicada"));
        Assert.True(cancel.IsError);
        Assert.Contains("'workorders.cancel'", cancel.Text());

        await using var supervisor = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        Assert.Equal("in_process", (await supervisor.CallAsync("get_work_order", ("folio", folio))).Ok().GetProperty("order").GetProperty("status").GetString());
        var audit = await AuditAsync(plant);
        Assert.Contains(audit, e => e.Tool == "transition_work_order" && e.UserId == plant.A.Technician.UserId && e.Outcome == AuditOutcome.Refused.ToString()
                                    && e.Detail!.Contains(folio));
    }

    [Fact]
    public async Task The_transition_tool_moves_the_order_once_per_idempotency_key_and_answers_with_the_refreshed_card()
    {
        var plant = await McpPlant.GetAsync();
        var folio = await NewOrderAsync(plant, done: 2);
        await using var supervisor = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        var args = new Dictionary<string, object?> { ["folio"] = folio, ["to"] = "in_review", ["expected_revision"] = 3, ["idempotency_key"] = Guid.NewGuid().ToString("N") };
        var first = await supervisor.CallToolAsync("transition_work_order", args);
        var again = await supervisor.CallToolAsync("transition_work_order", args);
        Assert.Equal("in_review", first.Ok().GetProperty("status").GetString());
        Assert.Equal(first.StructuredContent!.Value.GetRawText(), again.Ok().GetRawText());
        var card = first.Meta![WorkOrderCard.MetaKey]!;
        Assert.Equal("in_review", card["status"]!.GetValue<string>());
        Assert.Equal(["in_process", "completed", "cancelled"], card["transitions"]!.AsArray().Select(s => s!.GetValue<string>()));

        var order = await supervisor.CallAsync("get_work_order", ("folio", folio));
        Assert.Single(order.Meta![WorkOrderCard.MetaKey]!["timeline"]!.AsArray(), s => s!["to"]!.GetValue<string>() == "in_review");
        Assert.Equal(2, (await AuditAsync(plant)).Count(e => e.Tool == "transition_work_order" && e.Detail!.Contains(folio) && e.Outcome == AuditOutcome.Success.ToString()));
    }

    [Fact]
    public async Task A_transition_from_a_stale_card_is_a_conflict_and_changes_nothing()
    {
        var plant = await McpPlant.GetAsync();
        var folio = await NewOrderAsync(plant);
        await using var supervisor = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        await supervisor.CallAsync("update_work_order", ("folio", folio), ("note", "Revisado en terreno"));
        var stale = await supervisor.CallAsync("transition_work_order", ("folio", folio), ("to", "in_review"), ("expected_revision", 1));
        Assert.True(stale.IsError);
        Assert.Equal("in_process", (await supervisor.CallAsync("get_work_order", ("folio", folio))).Ok().GetProperty("order").GetProperty("status").GetString());
    }

    /// <summary>
    /// A fresh order with two tasks (the first <paramref name="done"/> of them completed), so tests that move it
    /// disturb neither each other nor the shared plant.
    /// </summary>
    internal static async Task<string> NewOrderAsync(McpPlant plant, int done = 0)
    {
        await using var supervisor = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        var created = await supervisor.CallToolAsync("create_work_order", new Dictionary<string, object?>
        {
            ["title"] = "Vibración en llenadora", ["type"] = "corrective", ["asset_id"] = "LLE-01", ["priority"] = 2,
            ["tasks"] = new[] { "Inspeccionar rodamientos", "Cambiar correa" }, ["responsible"] = "Diego Muñoz",
        });
        var folio = created.Ok().GetProperty("folio").GetString()!;
        var start = plant.Clock.GetUtcNow().AddHours(-3);
        for (var task = 1; task <= done; task++)
        {
            (await supervisor.CallAsync("complete_task", ("folio", folio), ("task_id", task),
                ("started_at", start.AddHours(task - 1).ToString("O")), ("ended_at", start.AddHours(task - 0.5).ToString("O")))).Ok();
        }
        return folio;
    }

    private static Task<IReadOnlyList<AuditEntity>> AuditAsync(McpPlant plant) =>
        AuditEntries.AllAsync(plant.App, plant.A.Id);
}
