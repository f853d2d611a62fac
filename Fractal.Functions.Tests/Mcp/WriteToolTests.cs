using Fractal.Functions.Audit;
using Fractal.Functions.Consumers;
using Fractal.Functions.Identity;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>Write tools: roles and scopes, idempotent retries, conflicts and the audit entry of every call.</summary>
public sealed class WriteToolTests
{
    private static readonly string[] WriteTools =
        ["create_work_request", "create_work_order", "update_work_order", "add_work_order_note", "complete_task", "add_wo_resource", "record_meter_reading", "update_request_status", "cancel_work_order"];

    /// <summary>Every audit entry of the tenant (the plant's clock stands still, so "newest first" cannot order them: read all).</summary>
    private static Task<IReadOnlyList<AuditEntity>> AuditAsync(McpPlant plant, TestTenant tenant) =>
        AuditEntries.AllAsync(plant.App, tenant.Id);

    [Theory]
    [InlineData("viewer", new string[0])]
    [InlineData("technician", new[] { "create_work_request", "add_work_order_note", "complete_task", "add_wo_resource", "record_meter_reading" })]
    [InlineData("supervisor", new[] { "create_work_request", "create_work_order", "update_work_order", "add_work_order_note", "complete_task", "add_wo_resource", "record_meter_reading", "update_request_status", "cancel_work_order" })]
    public async Task Each_role_sees_exactly_the_write_tools_its_permissions_allow(string role, string[] expected)
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Users[role]));
        var visible = (await client.ListToolsAsync()).Select(t => t.Name).Intersect(WriteTools).Order().ToList();
        Assert.Equal(expected.Order().ToList(), visible);
    }

    [Fact]
    public async Task A_grant_without_write_access_sees_no_write_tool_and_calling_one_is_refused_naming_the_permission()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor, "maintenance.read offline_access"));
        Assert.Empty((await client.ListToolsAsync()).Select(t => t.Name).Intersect(WriteTools));
        var refused = await client.CallToolAsync("cancel_work_order", new Dictionary<string, object?> { ["folio"] = "OT-2", ["reason"] = "test" });
        Assert.True(refused.IsError);
        Assert.Contains("workorders.cancel", ((ModelContextProtocol.Protocol.TextContentBlock)refused.Content[0]).Text);
    }

    [Fact]
    public async Task Write_tools_are_annotated_so_clients_ask_for_confirmation()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Admin));
        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name);
        Assert.All(WriteTools, name => Assert.False(tools[name].ProtocolTool.Annotations!.ReadOnlyHint));
        Assert.True(tools["cancel_work_order"].ProtocolTool.Annotations!.DestructiveHint);
        Assert.True(tools["update_request_status"].ProtocolTool.Annotations!.DestructiveHint);
        Assert.False(tools["create_work_request"].ProtocolTool.Annotations!.DestructiveHint);
    }

    [Fact]
    public async Task Creating_a_work_order_twice_with_one_idempotency_key_creates_one_order_and_returns_the_first_result()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        var key = Guid.NewGuid().ToString("N");
        var args = new Dictionary<string, object?> { ["title"] = "Fuga de aire en compresor", ["type"] = "corrective", ["asset_id"] = AnyAssetId, ["idempotency_key"] = key };
        var first = await client.CallToolAsync("create_work_order", args);
        var second = await client.CallToolAsync("create_work_order", args);
        Assert.NotEqual(true, first.IsError);
        var folio = first.StructuredContent!.Value.GetProperty("folio").GetString();
        Assert.Equal(folio, second.StructuredContent!.Value.GetProperty("folio").GetString());

        args["title"] = "Otra cosa";
        var other = await client.CallToolAsync("create_work_order", args);
        Assert.True(other.IsError);
    }

    private const string AnyAssetId = "LLE-01";

    /// <summary>
    /// Issue 24: keys were also deduplicated tenant-wide in the domain, so a second person reusing a key (even with a
    /// write-only grant) got the first person's record back in full and their own was never made.
    /// </summary>
    [Theory]
    [InlineData("create_work_request")]
    [InlineData("create_work_order")]
    public async Task Another_user_reusing_an_idempotency_key_creates_their_own_record_and_sees_nothing_of_the_first(string tool)
    {
        var plant = await McpPlant.GetAsync();
        await using var first = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        await using var second = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Admin, "maintenance.write offline_access"));
        var key = Guid.NewGuid().ToString("N");
        var firstText = "Fuga detrás del tablero " + key[..8];

        var original = (await first.CallToolAsync(tool, CreateArguments(tool, firstText, key))).Ok();
        var reused = await second.CallToolAsync(tool, CreateArguments(tool, "Ruido en bomba " + key[..8], key));

        Assert.NotEqual(RecordId(original), RecordId(reused.Ok()));
        Assert.DoesNotContain(firstText, reused.Everything());
        Assert.DoesNotContain(plant.A.Supervisor.Email, reused.Everything());
    }

    [Fact]
    public async Task The_same_person_reusing_a_key_through_another_app_creates_a_second_record()
    {
        var plant = await McpPlant.GetAsync();
        var created = await plant.App.Services.GetRequiredService<ConsumerStore>().CreateAsync(plant.A.Id, new ConsumerDraft(
            "Second connector " + Guid.NewGuid().ToString("N")[..6], "Another app of the same tenant", ClientTypes.Confidential, [TestTenant.ClientCallback],
            "https://client.example", "https://client.example/privacy", "https://client.example/eula", DefaultRoles.Viewer));
        var otherApp = plant.A with { Consumer = created.Consumer, ClientSecret = created.Secret ?? "" };
        await using var viaFirst = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        await using var viaSecond = await plant.ClientAsync(await plant.TokenAsync(otherApp, plant.A.Supervisor));
        var key = Guid.NewGuid().ToString("N");
        var arguments = CreateArguments("create_work_request", "Goteo en compresor " + key[..8], key);

        var one = (await viaFirst.CallToolAsync("create_work_request", arguments)).Ok();
        var other = (await viaSecond.CallToolAsync("create_work_request", arguments)).Ok();

        Assert.NotEqual(RecordId(one), RecordId(other));
    }

    private static Dictionary<string, object?> CreateArguments(string tool, string text, string key) => tool == "create_work_order"
        ? new() { ["title"] = text, ["type"] = "corrective", ["asset_id"] = AnyAssetId, ["idempotency_key"] = key }
        : new() { ["title"] = text, ["description"] = text, ["idempotency_key"] = key };

    private static string RecordId(System.Text.Json.JsonElement created) =>
        (created.TryGetProperty("folio", out var folio) ? folio : created.GetProperty("id")).GetString()!;

    [Fact]
    public async Task A_technician_completes_a_task_and_adds_a_resource_and_each_call_leaves_one_audit_entry_without_secrets()
    {
        var plant = await McpPlant.GetAsync();
        await using var supervisor = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        var created = await supervisor.CallToolAsync("create_work_order", new Dictionary<string, object?>
        {
            ["title"] = "Cambio de rodamiento", ["type"] = "corrective", ["asset_id"] = AnyAssetId, ["tasks"] = new[] { "Desmontar", "Cambiar rodamiento" },
        });
        Assert.NotEqual(true, created.IsError);
        var folio = created.StructuredContent!.Value.GetProperty("folio").GetString()!;

        var token = await plant.TokenAsync(plant.A, plant.A.Technician);
        await using var technician = await plant.ClientAsync(token);
        var done = await technician.CallToolAsync("complete_task", new Dictionary<string, object?>
        {
            ["folio"] = folio, ["task_id"] = 1, ["started_at"] = "2026-06-30T10:00:00Z", ["ended_at"] = "2026-06-30T11:30:00Z",
        });
        Assert.NotEqual(true, done.IsError);
        var resource = await technician.CallToolAsync("add_wo_resource", new Dictionary<string, object?>
        {
            ["folio"] = folio, ["kind"] = "part", ["description"] = "Rodamiento 6205", ["quantity"] = 2, ["unit_cost"] = 12.5,
        });
        Assert.NotEqual(true, resource.IsError);

        // Other tests write to this tenant's log at the same time: look at this order's entries only.
        var entries = (await AuditAsync(plant, plant.A)).Where(e => e.Event == "tool_call" && (e.Detail ?? "").Contains("folio=" + folio + ",")).ToList();
        Assert.Single(entries, e => e.Tool == "complete_task");
        Assert.Single(entries, e => e.Tool == "add_wo_resource");
        var entry = entries.First(e => e.Tool == "add_wo_resource");
        Assert.Equal(plant.A.Technician.UserId, entry.UserId);
        Assert.Equal(plant.A.ClientId, entry.ClientId);
        Assert.Equal("Success", entry.Outcome);
        Assert.Contains("folio=" + folio, entry.Detail);
        Assert.NotNull(entry.DurationMs);
        Assert.DoesNotContain(entries, e => (e.Detail ?? "").Contains(token[..20]));
    }

    [Fact]
    public async Task A_task_is_marked_done_now_without_times_and_a_task_that_is_not_there_is_refused_listing_the_tasks_there_are()
    {
        var plant = await McpPlant.GetAsync();
        await using var supervisor = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        var folio = (await supervisor.CallToolAsync("create_work_order", new Dictionary<string, object?>
        {
            ["title"] = "Revisión de sellos", ["type"] = "corrective", ["asset_id"] = AnyAssetId, ["tasks"] = new[] { "Revisar sellos", "Cambiar sello" },
        })).StructuredContent!.Value.GetProperty("folio").GetString()!;
        await using var technician = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Technician));

        var missing = await technician.CallToolAsync("complete_task", new Dictionary<string, object?> { ["folio"] = folio, ["task_id"] = 7 });
        Assert.True(missing.IsError);
        var error = ((ModelContextProtocol.Protocol.TextContentBlock)missing.Content[0]).Text;
        Assert.Contains("no task 7", error);
        Assert.Contains("1 \"Revisar sellos\" (pending)", error);
        Assert.Contains("2 \"Cambiar sello\" (pending)", error);

        var now = await technician.CallToolAsync("complete_task", new Dictionary<string, object?> { ["folio"] = folio, ["task_id"] = 1 });
        Assert.NotEqual(true, now.IsError);
        Assert.Contains("1 of 2 task(s) still pending", ((ModelContextProtocol.Protocol.TextContentBlock)now.Content[0]).Text);

        var timed = await technician.CallToolAsync("complete_task", new Dictionary<string, object?> { ["folio"] = folio, ["task_id"] = 2, ["duration_minutes"] = 45 });
        Assert.NotEqual(true, timed.IsError);
        Assert.Contains("(45 min)", ((ModelContextProtocol.Protocol.TextContentBlock)timed.Content[0]).Text);
        var tasks = (await supervisor.CallToolAsync("get_work_order", new Dictionary<string, object?> { ["folio"] = folio })).StructuredContent!.Value.GetProperty("order").GetProperty("tasks");
        Assert.All(tasks.EnumerateArray(), t => Assert.True(t.GetProperty("done").GetBoolean()));
        Assert.Equal(45, tasks[1].GetProperty("realMinutes").GetInt32());
    }

    [Fact]
    public async Task Cancelling_needs_a_reason_and_a_completed_order_cannot_be_cancelled()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        var completed = (await client.CallToolAsync("list_work_orders", new Dictionary<string, object?> { ["status"] = "completed", ["page_size"] = 1 }))
            .StructuredContent!.Value.GetProperty("items")[0].GetProperty("folio").GetString();
        var refused = await client.CallToolAsync("cancel_work_order", new Dictionary<string, object?> { ["folio"] = completed, ["reason"] = "duplicate" });
        Assert.True(refused.IsError);
    }

    [Fact]
    public async Task Concurrent_cancellations_of_one_order_give_one_success_and_one_error()
    {
        var plant = await McpPlant.GetAsync();
        await using var a = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        await using var b = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Admin));
        var folio = (await a.CallToolAsync("create_work_order", new Dictionary<string, object?> { ["title"] = "Carrera", ["type"] = "corrective", ["asset_id"] = AnyAssetId }))
            .StructuredContent!.Value.GetProperty("folio").GetString();
        var results = await Task.WhenAll(
            a.CallToolAsync("cancel_work_order", new Dictionary<string, object?> { ["folio"] = folio, ["reason"] = "uno" }).AsTask(),
            b.CallToolAsync("cancel_work_order", new Dictionary<string, object?> { ["folio"] = folio, ["reason"] = "dos" }).AsTask());
        Assert.Equal(1, results.Count(r => r.IsError != true));
        Assert.Equal(1, results.Count(r => r.IsError == true));
    }

    [Fact]
    public async Task A_meter_reading_is_kept_and_echoed_at_the_meters_decimal_precision_without_binary_noise()
    {
        var plant = await McpPlant.GetAsync();
        // Tenant B: a reading here would disturb the meter figures other tests read in tenant A.
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.B, plant.B.Technician));
        var meters = (await client.CallToolAsync("list_meters", new Dictionary<string, object?> { ["page_size"] = 100 })).StructuredContent!.Value.GetProperty("items");
        // The demo's counters were read daily for a year: their stored values must carry no accumulated noise either.
        Assert.All(meters.EnumerateArray(), m => Assert.True(m.GetProperty("lastValue").GetRawText().Split('.').ElementAtOrDefault(1) is not { Length: > 4 }, m.GetRawText()));

        var meter = meters.EnumerateArray().First(m => m.GetProperty("id").GetString() == "H-CHL-01");
        var next = meter.GetProperty("lastValue").GetDouble() + 0.1 + 0.2; // what a model's arithmetic sends
        var result = await client.CallToolAsync("record_meter_reading", new Dictionary<string, object?> { ["meter_id"] = "H-CHL-01", ["value"] = next });
        Assert.NotEqual(true, result.IsError);
        var expected = Math.Round(next, 4).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, result.StructuredContent!.Value.GetProperty("meter").GetProperty("lastValue").GetRawText());
        Assert.StartsWith($"Recorded {expected} h on H-CHL-01", ((ModelContextProtocol.Protocol.TextContentBlock)result.Content[0]).Text);
    }

    [Fact]
    public async Task Recording_a_meter_reading_says_which_preventive_tasks_it_made_due()
    {
        var plant = await McpPlant.GetAsync();
        // Tenant B: readings far ahead would disturb the meter figures other tests read in tenant A.
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.B, plant.B.Technician));
        // Compressors and forklifts have hour-based plans: a reading far ahead makes any task not yet due, due.
        string[] hourMeters = ["H-CMP-01", "H-CMP-02", "H-CMP-03", "H-GRH-01", "H-GRH-02", "H-GRH-03"];
        var triggeredAny = false;
        foreach (var meter in hourMeters)
        {
            var result = await client.CallToolAsync("record_meter_reading", new Dictionary<string, object?> { ["meter_id"] = meter, ["value"] = 10_000_000.0 });
            Assert.NotEqual(true, result.IsError);
            var triggered = result.StructuredContent!.Value.GetProperty("triggeredPendingTaskIds");
            var text = ((ModelContextProtocol.Protocol.TextContentBlock)result.Content[0]).Text;
            if (triggered.GetArrayLength() == 0) Assert.Contains("no preventive task became due", text);
            else
            {
                Assert.Contains(triggered[0].GetString()!, text);
                triggeredAny = true;
            }
        }
        Assert.True(triggeredAny, "no hour meter reading triggered a preventive task");
    }
}
