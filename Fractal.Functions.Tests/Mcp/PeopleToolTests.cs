using System.Text.Json;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>People are named: list_people with each one's workload, names accepted wherever a person is expected, names beside ids.</summary>
public sealed class PeopleToolTests
{
    [Fact]
    public async Task List_people_gives_each_technicians_name_and_open_overdue_and_due_this_week_counts_matching_the_work_order_lists()
    {
        var plant = await McpPlant.GetAsync();
        // Tenant B: tenant A's orders change under other tests.
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.B, plant.B.Viewer));
        var result = await client.CallAsync("list_people");
        var people = result.Ok().GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(8, people.Count);
        var diego = people.Single(p => p.GetProperty("id").GetString() == "tec-05");
        Assert.Equal("Diego Muñoz", diego.GetProperty("name").GetString());
        Assert.Contains("Diego Muñoz (tec-05)", result.Text());

        async Task<int> CountAsync(params (string, object?)[] filter)
        {
            var items = (await client.CallAsync("list_work_orders", [.. filter, ("responsible", "tec-05"), ("page_size", 100)])).Ok().GetProperty("items");
            return items.GetArrayLength();
        }
        Assert.Equal(await CountAsync(("status", "in_process")) + await CountAsync(("status", "in_review")), diego.GetProperty("open").GetInt32());
        Assert.Equal(await CountAsync(("overdue_only", true)), diego.GetProperty("overdue").GetInt32());
        Assert.True(people.Sum(p => p.GetProperty("open").GetInt32()) > 0);
    }

    [Theory]
    [InlineData("Diego Muñoz")]
    [InlineData("diego munoz")]
    [InlineData("DIEGO")]
    [InlineData("TEC-05")]
    public async Task A_name_or_id_in_any_case_and_without_accents_finds_that_persons_orders_with_the_name_beside_the_id(string responsible)
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.B, plant.B.Viewer));
        var items = (await client.CallAsync("list_work_orders", ("responsible", responsible), ("page_size", 5))).Ok().GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, o =>
        {
            Assert.Equal("tec-05", o.GetProperty("responsible").GetString());
            Assert.Equal("Diego Muñoz", o.GetProperty("responsibleName").GetString());
        });
    }

    [Fact]
    public async Task An_ambiguous_name_is_a_tool_error_listing_the_candidates_and_changes_nothing()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        var created = await client.CallAsync("create_work_order", ("title", "Revisar"), ("type", "corrective"), ("asset_id", "CMP-01"), ("responsible", "Pe"),
            ("idempotency_key", Guid.NewGuid().ToString("N")));
        Assert.True(created.IsError);
        Assert.Contains("Juan Pérez (tec-01)", created.Text());
        Assert.Contains("Pedro Soto (tec-03)", created.Text());

        var unknown = await client.CallAsync("list_work_orders", ("responsible", "Jorge Muñoz"));
        Assert.True(unknown.IsError);
        Assert.Contains("Diego Muñoz (tec-05)", unknown.Text());
    }

    [Fact]
    public async Task A_work_order_created_for_a_name_is_assigned_to_that_persons_id()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        var folio = (await client.CallAsync("create_work_order", ("title", "Cambio de correa"), ("type", "corrective"), ("asset_id", "CMP-01"),
            ("responsible", "Juan Pérez"))).Ok().GetProperty("folio").GetString();
        var order = await client.CallAsync("get_work_order", ("folio", folio));
        Assert.Equal("tec-01", order.Ok().GetProperty("order").GetProperty("responsible").GetString());
        Assert.Equal("Juan Pérez", order.Ok().GetProperty("order").GetProperty("responsibleName").GetString());
        Assert.Contains("responsible Juan Pérez (tec-01)", order.Text());
    }
}
