using System.Text.Json;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>search and fetch as ChatGPT's deep research and company knowledge call them (connector-compat.md).</summary>
public sealed class SearchAndFetchTests
{
    private static async Task<McpClient> ClientAsync(Func<McpPlant, TestUser> user)
    {
        var plant = await McpPlant.GetAsync();
        return await plant.ClientAsync(await plant.TokenAsync(plant.A, user(plant)));
    }

    [Fact]
    public async Task Search_answers_one_text_item_whose_json_lists_id_title_and_a_record_page_url()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await ClientAsync(p => p.A.Viewer);
        var result = await client.CallAsync("search", ("query", "compresor"));
        Assert.NotEqual(true, result.IsError);
        var item = Assert.Single(result.Content);
        using var json = JsonDocument.Parse(Assert.IsType<TextContentBlock>(item).Text);
        var results = json.RootElement.GetProperty("results");
        Assert.True(results.GetArrayLength() > 0);
        Assert.Equal(json.RootElement.GetRawText(), result.StructuredContent!.Value.GetRawText());
        foreach (var r in results.EnumerateArray())
        {
            Assert.Equal(["id", "title", "url"], r.EnumerateObject().Select(p => p.Name));
            var id = r.GetProperty("id").GetString()!;
            var (kind, recordId) = (id[..id.IndexOf(':')], id[(id.IndexOf(':') + 1)..]);
            Assert.Equal($"{plant.App.Issuer()}/records/{kind}/{Uri.EscapeDataString(recordId)}", r.GetProperty("url").GetString());
        }
        Assert.Contains(results.Strings("id"), id => id == "asset:CMP-02");
    }

    [Fact]
    public async Task Fetch_returns_id_title_text_url_and_metadata_of_a_work_order()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await ClientAsync(p => p.A.Viewer);
        var result = await client.CallAsync("fetch", ("id", "wo:OT-1"));
        var record = result.Ok();
        Assert.Equal(["id", "title", "text", "url", "metadata"], record.EnumerateObject().Select(p => p.Name));
        Assert.Equal("wo:OT-1", record.GetProperty("id").GetString());
        Assert.StartsWith("OT-1 ", record.GetProperty("title").GetString());
        Assert.Contains("Status: ", record.GetProperty("text").GetString());
        Assert.Equal($"{plant.App.Issuer()}/records/wo/OT-1", record.GetProperty("url").GetString());
        Assert.Equal("OT-1", record.GetProperty("metadata").GetProperty("folio").GetString());
        using var text = JsonDocument.Parse(result.Text());
        Assert.Equal("wo:OT-1", text.RootElement.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("asset:CMP-02", "Compresor N°2")]
    [InlineData("request:SR-1", "SR-1")]
    [InlineData("part:ROD-02", "Rodamiento")]
    [InlineData("plan:PM-AIRE", "Plan compresores de aire")]
    public async Task Fetch_reads_every_kind_that_search_returns(string id, string inTitle)
    {
        await using var client = await ClientAsync(p => p.A.Viewer);
        var record = (await client.CallAsync("fetch", ("id", id))).Ok();
        Assert.Equal(id, record.GetProperty("id").GetString());
        Assert.Contains(inTitle, record.GetProperty("title").GetString());
        Assert.False(string.IsNullOrWhiteSpace(record.GetProperty("text").GetString()));
    }

    [Theory]
    [InlineData("wo:OT-999999")]
    [InlineData("asset:NO-SUCH")]
    [InlineData("request:SR-999999")]
    [InlineData("part:a/b")]
    [InlineData("plan:NO-SUCH")]
    public async Task Fetching_an_unknown_record_is_a_tool_error(string id)
    {
        await using var client = await ClientAsync(p => p.A.Viewer);
        var result = await client.CallAsync("fetch", ("id", id));
        Assert.True(result.IsError);
    }

    [Theory]
    [InlineData("OT-1")]
    [InlineData("order:OT-1")]
    [InlineData("wo:")]
    [InlineData("")]
    public async Task A_fetch_id_without_a_known_kind_is_invalid_params(string id)
    {
        await using var client = await ClientAsync(p => p.A.Viewer);
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallAsync("fetch", ("id", id)).AsTask());
        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
    }

    [Fact]
    public async Task An_empty_search_query_is_invalid_params()
    {
        await using var client = await ClientAsync(p => p.A.Viewer);
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallAsync("search", ("query", " ")).AsTask());
        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
    }

    [Fact]
    public async Task Search_leaves_out_kinds_the_caller_may_not_read_and_fetch_refuses_them_naming_the_permission()
    {
        var plant = await McpPlant.GetAsync();
        var assetsOnly = await AssetsOnlyUserAsync(plant);
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, assetsOnly));

        var everything = (await (await ClientAsync(p => p.A.Viewer)).CallAsync("search", ("query", "compresor"))).Ok();
        Assert.Contains(everything.GetProperty("results").Strings("id"), id => id.StartsWith("wo:", StringComparison.Ordinal));

        var results = (await client.CallAsync("search", ("query", "compresor"))).Ok().GetProperty("results").Strings("id").ToList();
        Assert.NotEmpty(results);
        Assert.All(results, id => Assert.StartsWith("asset:", id));

        var refused = await client.CallAsync("fetch", ("id", "wo:OT-1"));
        Assert.True(refused.IsError);
        Assert.Contains(Permissions.WorkOrdersRead, refused.Text());
        Assert.NotEqual(true, (await client.CallAsync("fetch", ("id", "asset:CMP-02"))).IsError);

        var tools = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        Assert.Contains("search", tools);
        Assert.Contains("get_asset", tools);
        Assert.DoesNotContain("list_work_orders", tools);
        Assert.DoesNotContain("check_stock", tools);
    }

    [Fact]
    public async Task With_a_record_url_template_results_link_to_the_tenants_own_ui()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Fractal:RecordUrlTemplate"] = "https://app.fractal.example/{kind}/{id}" });
        var tenant = await TestTenant.CreateAsync(app);
        await app.Services.GetRequiredService<IAssetService>().CreateAsync(tenant.Id, new NewAsset("PLANTA", "Planta Unica", AssetKind.Location, AssetLevel.Site, null, 1));
        var plant = new McpPlant(app, tenant, tenant, clock);
        await using var client = await plant.ClientAsync(await plant.TokenAsync(tenant, tenant.Viewer));

        var hit = Assert.Single((await client.CallAsync("search", ("query", "planta unica"))).Ok().GetProperty("results").EnumerateArray());
        Assert.Equal("https://app.fractal.example/asset/PLANTA", hit.GetProperty("url").GetString());
        Assert.Equal("https://app.fractal.example/asset/PLANTA", (await client.CallAsync("fetch", ("id", "asset:PLANTA"))).Ok().GetProperty("url").GetString());
    }

    /// <summary>A user of tenant A whose role (made for this test) reads assets only.</summary>
    internal static async Task<TestUser> AssetsOnlyUserAsync(McpPlant plant)
    {
        var roleId = "assets-only-" + Guid.NewGuid().ToString("N")[..8];
        await plant.App.Services.GetRequiredService<TableStore>().TryAddAsync(TableNames.Tenants, new RoleEntity
        {
            PartitionKey = plant.A.Id.Value, RowKey = RoleEntity.RowKeyPrefix + roleId, Name = "Assets only", Permissions = Permissions.AssetsRead,
        });
        var email = $"{roleId}@test.example";
        var password = "Pw-" + Guid.NewGuid().ToString("N");
        var (_, user) = await plant.App.Services.GetRequiredService<UserStore>().CreateAsync(plant.A.Id, email, "Assets reader", roleId, password);
        return new TestUser(user!.UserId, email, password, roleId);
    }
}
