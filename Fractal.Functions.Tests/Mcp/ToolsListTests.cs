using System.Text;
using System.Text.Json;
using Fractal.Functions.Tests.Infrastructure;
using ModelContextProtocol;
using Xunit.Abstractions;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>What tools/list shows: the read tools each role's permissions allow, and the whole list's size.</summary>
public sealed class ToolsListTests(ITestOutputHelper output)
{
    /// <summary>The read tools built so far (get_kpis and rank_bad_actors come with the KPI tools).</summary>
    private static readonly string[] ReadTools =
    [
        "search", "fetch", "list_work_orders", "get_work_order", "list_assets", "get_asset", "get_location_tree",
        "get_asset_downtime", "list_requests", "list_meters", "list_pending_tasks", "check_stock", "get_activity", "list_people",
    ];

    public static TheoryData<string> Roles => new() { "viewer", "technician", "supervisor", "administrator" };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Every_default_role_sees_every_read_tool_marked_read_only(string role)
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Users[role]));
        var tools = await client.ListToolsAsync();
        Assert.Empty(ReadTools.Except(tools.Select(t => t.Name)));
        Assert.All(tools.Where(t => ReadTools.Contains(t.Name)), t =>
        {
            var a = t.ProtocolTool.Annotations!;
            Assert.True(a.ReadOnlyHint);
            Assert.False(a.DestructiveHint);
            Assert.True(a.IdempotentHint);
            Assert.False(a.OpenWorldHint);
            Assert.NotNull(t.ProtocolTool.OutputSchema);
        });
    }

    [Fact]
    public async Task A_token_granting_only_the_write_scope_sees_no_read_tool()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor, "maintenance.write"));
        Assert.Empty((await client.ListToolsAsync()).Select(t => t.Name).Intersect(ReadTools));
    }

    [Fact]
    public async Task The_administrators_tools_list_stays_under_24_KB()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Admin));
        var tools = await client.ListToolsAsync();
        var bytes = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(new { tools = tools.Select(t => t.ProtocolTool) }, McpJsonUtilities.DefaultOptions));
        output.WriteLine($"Administrator tools/list: {tools.Count} tools, {bytes} bytes ({bytes / 1024.0:0.0} KB).");
        foreach (var tool in tools.Select(t => t.ProtocolTool).OrderByDescending(t => JsonSerializer.Serialize(t, McpJsonUtilities.DefaultOptions).Length))
        {
            output.WriteLine($"  {tool.Name}: {JsonSerializer.Serialize(tool, McpJsonUtilities.DefaultOptions).Length} (input {tool.InputSchema.GetRawText().Length}, output {tool.OutputSchema?.GetRawText().Length ?? 0})");
        }
        Assert.True(bytes <= 24 * 1024, $"tools/list is {bytes} bytes, above 24 KB: shorten descriptions.");
    }
}
