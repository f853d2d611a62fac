using System.Text.Json;
using Fractal.Functions.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>Shift handover: get_activity over the records' history, and notes a technician leaves on a work order.</summary>
public sealed class ActivityToolTests
{
    private static async Task<McpClient> ClientAsync(McpPlant plant, TestUser user) => await plant.ClientAsync(await plant.TokenAsync(plant.A, user));

    private static async Task<string> NewOrderAsync(McpPlant plant, string asset, string responsible = "tec-02")
    {
        await using var supervisor = await ClientAsync(plant, plant.A.Supervisor);
        return (await supervisor.CallAsync("create_work_order", ("title", "Ruido en rodamiento"), ("type", "corrective"), ("asset_id", asset),
            ("tasks", new[] { "Revisar rodamiento" }), ("responsible", responsible))).Ok().GetProperty("folio").GetString()!;
    }

    private static IEnumerable<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray();

    [Fact]
    public async Task A_technician_leaves_a_note_once_per_idempotency_key_and_it_shows_in_get_work_order_fetch_and_the_card_with_the_authors_name()
    {
        var plant = await McpPlant.GetAsync();
        var folio = await NewOrderAsync(plant, "CMP-01");
        await using var technician = await ClientAsync(plant, plant.A.Technician);
        Assert.Contains(await technician.ListToolsAsync(), t => t.Name == "add_work_order_note" && t.ProtocolTool.Annotations!.ReadOnlyHint == false);
        Assert.DoesNotContain(await technician.ListToolsAsync(), t => t.Name == "update_work_order");

        var key = Guid.NewGuid().ToString("N");
        for (var i = 0; i < 2; i++)
            (await technician.CallAsync("add_work_order_note", ("folio", folio), ("note", "Rodamiento con holgura; queda para el turno B."), ("idempotency_key", key))).Ok();

        var got = await technician.CallAsync("get_work_order", ("folio", folio));
        var note = Assert.Single(got.Ok().GetProperty("notes").EnumerateArray());
        Assert.Equal("Rodamiento con holgura; queda para el turno B.", note.GetProperty("text").GetString());
        Assert.Equal("Technician user", note.GetProperty("userName").GetString());
        var card = got.Meta!["fractal/workOrderCard"]!;
        Assert.Equal("Technician user", card["notes"]![0]!["userName"]!.GetValue<string>());
        Assert.Equal("María González", card["responsibleName"]!.GetValue<string>());
        var fetched = (await technician.CallAsync("fetch", ("id", "wo:" + folio))).Ok().GetProperty("text").GetString()!;
        Assert.Contains("Technician user", fetched);
        Assert.Contains("Rodamiento con holgura", fetched);
        Assert.Contains("María González (tec-02)", fetched);
    }

    [Fact]
    public async Task The_feed_shows_a_locations_changes_newest_first_with_notes_tasks_parts_readings_and_requests_and_filters_by_person_name()
    {
        var plant = await McpPlant.GetAsync();
        // Línea 1 Llenado holds the filler: everything below it is one range of the feed.
        var folio = await NewOrderAsync(plant, "LLE-01", responsible: "tec-06");
        await using var technician = await ClientAsync(plant, plant.A.Technician);
        var now = plant.Clock.GetUtcNow();
        (await technician.CallAsync("add_work_order_note", ("folio", folio), ("note", "Se escucha desde el pasillo"))).Ok();
        (await technician.CallAsync("complete_task", ("folio", folio), ("task_id", 1), ("started_at", now.AddHours(-1).ToString("O")), ("ended_at", now.ToString("O")))).Ok();
        (await technician.CallAsync("add_wo_resource", ("folio", folio), ("kind", "part"), ("description", "Rodamiento 6205"), ("quantity", 1), ("unit_cost", 9000))).Ok();
        var request = (await technician.CallAsync("create_work_request", ("title", "Fuga en llenadora"), ("asset_id", "LLE-01"))).Ok().GetProperty("id").GetString();

        var page = (await technician.CallAsync("get_activity", ("asset_id", "L1"), ("from", now.AddMinutes(-1).ToString("O")), ("page_size", 100))).Ok();
        var mine = Items(page).Where(e => e.GetProperty("record").GetString() == folio).Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["created", "note", "task_completed", "resource_added"], mine.AsEnumerable().Reverse());
        Assert.Contains(Items(page), e => e.GetProperty("record").GetString() == request && e.GetProperty("kind").GetString() == "request_created");
        var times = Items(page).Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
        Assert.Contains(Items(page), e => e.GetProperty("text").GetString() == "task 1: Revisar rodamiento");

        // "Valentina" is tec-06, the order's responsible: her feed has the order's events, with her name beside her id.
        var hers = (await technician.CallAsync("get_activity", ("person", "valentina diaz"), ("asset_id", "LLE-01"), ("page_size", 100))).Ok();
        Assert.Contains(Items(hers), e => e.GetProperty("record").GetString() == folio && e.GetProperty("responsibleName").GetString() == "Valentina Díaz");
        Assert.DoesNotContain(Items(hers), e => e.GetProperty("record").GetString() == request);
    }

    [Fact]
    public async Task The_demo_plants_feed_holds_its_last_weeks_readings_and_order_changes_and_pages_without_repeats()
    {
        var plant = await McpPlant.GetAsync();
        await using var viewer = await ClientAsync(plant, plant.A.Viewer);
        var to = plant.Clock.GetUtcNow().AddDays(-1); // before anything the tests write
        var first = (await viewer.CallAsync("get_activity", ("to", to.ToString("O")), ("from", to.AddDays(-7).ToString("O")), ("page_size", 30))).Ok();
        Assert.Equal(30, Items(first).Count());
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = (await viewer.CallAsync("get_activity", ("to", to.ToString("O")), ("from", to.AddDays(-7).ToString("O")), ("page_size", 30), ("cursor", cursor))).Ok();
        var all = Items(first).Concat(Items(second)).ToList();
        Assert.Equal(all.Select(e => e.GetProperty("at").GetDateTimeOffset()).OrderByDescending(t => t), all.Select(e => e.GetProperty("at").GetDateTimeOffset()));
        Assert.Equal(all.Count, all.Select(e => e.GetRawText()).Distinct().Count());
        Assert.All(all, e => Assert.InRange(e.GetProperty("at").GetDateTimeOffset(), to.AddDays(-7), to));
        Assert.Contains(all, e => e.GetProperty("kind").GetString() == "meter_reading");

        // The cursor belongs to that window: another query refuses it.
        var replayed = await viewer.CallAsync("get_activity", ("page_size", 30), ("cursor", cursor));
        Assert.True(replayed.IsError);
    }
}
