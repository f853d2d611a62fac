using System.Globalization;
using System.Text.Json;
using Fractal.Functions.Maintenance.Demo;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Mcp.Apps;
using Fractal.Functions.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>
/// The tools speak the plant's time (America/Santiago for the demo: UTC-3 in summer, UTC-4 from April to September):
/// a date in a filter is that local day, answers carry the local offset, and period words count from the local today.
/// The plant's clock stands at 2026-07-01 00:00 local (04:00 UTC), itself a day edge.
/// </summary>
public sealed class PlantTimeToolTests
{
    private static readonly Lazy<IReadOnlyList<WorkOrder>> Orders = new(() => DemoGenerator.Generate().WorkOrders.Select(w => w.Order).ToList());

    /// <summary>A demo order created late in the local evening, when UTC is already on the next day.</summary>
    private static WorkOrder LateEveningOrder(int year, int month) => Orders.Value.First(o =>
        DemoPlant.Clock.ToLocal(o.CreatedAt) is { Hour: >= 21 } local && local.Year == year && local.Month == month
        && DemoPlant.Clock.LocalDate(o.CreatedAt) != DateOnly.FromDateTime(o.CreatedAt.UtcDateTime));

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<List<string>> CreatedOnAsync(McpClient client, params (string Name, object? Value)[] range)
    {
        var folios = new List<string>();
        string? cursor = null;
        do
        {
            var args = range.Append(("date_field", "created")).Append(("page_size", 100)).ToList();
            if (cursor is not null) args.Add(("cursor", cursor));
            var page = (await client.CallAsync("list_work_orders", [.. args])).Ok();
            folios.AddRange(page.GetProperty("items").Strings("folio"));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        } while (cursor is not null);
        return folios;
    }

    [Theory]
    [InlineData(2026, 1, "-03:00")] // summer time
    [InlineData(2026, 6, "-04:00")] // winter time
    public async Task An_order_created_late_in_the_local_evening_lists_under_its_local_day_with_the_local_offset(int year, int month, string offset)
    {
        var order = LateEveningOrder(year, month);
        var day = DemoPlant.Clock.LocalDate(order.CreatedAt);
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));

        Assert.Contains(order.Folio, await CreatedOnAsync(client, ("from", Day(day)), ("to", Day(day.AddDays(1)))));
        Assert.DoesNotContain(order.Folio, await CreatedOnAsync(client, ("from", Day(day.AddDays(1))), ("to", Day(day.AddDays(2)))));

        var header = (await client.CallAsync("get_work_order", ("folio", order.Folio))).Ok().GetProperty("order");
        var createdAt = header.GetProperty("createdAt").GetString()!;
        Assert.EndsWith(offset, createdAt, StringComparison.Ordinal);
        Assert.StartsWith(DemoPlant.Clock.ToLocal(order.CreatedAt).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), createdAt, StringComparison.Ordinal);
        Assert.Equal(order.CreatedAt, DateTimeOffset.Parse(createdAt, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("yesterday", "2026-06-30", "2026-07-01")]
    [InlineData("last_week", "2026-06-22", "2026-06-29")]
    [InlineData("last_month", "2026-06-01", "2026-07-01")]
    public async Task A_period_word_is_the_plants_local_days_not_utc_ones(string period, string first, string end)
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var (from, to) = DemoPlant.Clock.Days(DateOnly.Parse(first, CultureInfo.InvariantCulture), DateOnly.Parse(end, CultureInfo.InvariantCulture).AddDays(-1));
        var expected = Orders.Value.Where(o => o.CreatedAt >= from && o.CreatedAt < to).Select(o => o.Folio).Order().ToList();
        Assert.NotEmpty(expected);

        Assert.Equal(expected, (await CreatedOnAsync(client, ("period", period))).Order());
    }

    [Fact]
    public async Task Last_month_keeps_the_late_evening_of_its_last_local_day_that_utc_puts_in_the_next_month()
    {
        // The demo has orders created after 20:00 local on 31 May or 30 June only if its seed put them there; this checks
        // the edge on whichever month end of the year has one.
        var late = Orders.Value.First(o => DemoPlant.Clock.LocalDate(o.CreatedAt) is var d && d.AddDays(1).Day == 1
                                           && DemoPlant.Clock.LocalDate(o.CreatedAt).Month != o.CreatedAt.UtcDateTime.Month);
        var day = DemoPlant.Clock.LocalDate(late.CreatedAt);
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var month = new DateOnly(day.Year, day.Month, 1);
        Assert.Contains(late.Folio, await CreatedOnAsync(client, ("from", Day(month)), ("to", Day(month.AddMonths(1)))));
        Assert.DoesNotContain(late.Folio, await CreatedOnAsync(client, ("from", Day(month.AddMonths(1))), ("to", Day(month.AddMonths(2)))));
    }

    [Fact]
    public async Task A_period_word_sets_a_kpi_period_in_local_days_and_an_unknown_one_lists_the_allowed_words()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var report = (await client.CallAsync("get_kpis", ("period", "last_quarter"), ("kpi", new[] { "failures" }))).Ok();
        Assert.Equal("2026-04-01", report.GetProperty("from").GetString());
        Assert.Equal("2026-07-01", report.GetProperty("to").GetString());

        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallAsync("list_work_orders", ("period", "fortnight")).AsTask());
        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
        Assert.Contains("this_week", error.Message);
        var both = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallAsync("get_kpis", ("period", "this_month"), ("from", "2026-06-01")).AsTask());
        Assert.Contains("not both", both.Message);
    }

    [Fact]
    public async Task A_date_without_an_offset_is_plant_time_and_a_bare_due_date_lasts_to_the_end_of_that_local_day()
    {
        var plant = await McpPlant.GetAsync();
        await using var supervisor = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Supervisor));
        var byDay = (await supervisor.CallAsync("create_work_order", ("title", "Revisar sensor de nivel"), ("type", "corrective"), ("asset_id", "LLE-01"),
            ("due_at", "2026-07-03"))).Ok().GetProperty("folio").GetString()!;
        var byTime = (await supervisor.CallAsync("create_work_order", ("title", "Ajustar correa"), ("type", "corrective"), ("asset_id", "LLE-01"),
            ("due_at", "2026-07-03T08:00"))).Ok().GetProperty("folio").GetString()!;

        async Task<string> DueOfAsync(string folio) => (await supervisor.CallAsync("get_work_order", ("folio", folio))).Ok().GetProperty("order").GetProperty("dueAt").GetString()!;
        Assert.Equal("2026-07-03T23:59:59-04:00", await DueOfAsync(byDay));
        Assert.Equal("2026-07-03T08:00:00-04:00", await DueOfAsync(byTime));
    }

    [Fact]
    public async Task Fetch_writes_a_records_dates_in_plant_time_with_the_offset()
    {
        var order = LateEveningOrder(2026, 6);
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var text = (await client.CallAsync("fetch", ("id", "wo:" + order.Folio))).Ok().GetProperty("text").GetString()!;
        Assert.Contains("Created: " + DemoPlant.Clock.ToLocal(order.CreatedAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " -04:00", text);
    }

    [Fact]
    public async Task The_card_of_an_overdue_order_says_so_counting_local_days_and_a_new_order_is_not_overdue()
    {
        var now = DemoPlant.ReferenceDate;
        var overdue = Orders.Value.Where(o => o.IsOverdue(now)).OrderBy(o => o.DueAt).First();
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));

        var card = (await client.CallAsync("get_work_order", ("folio", overdue.Folio))).Meta![WorkOrderCard.MetaKey]!;
        Assert.True(card["overdue"]!.GetValue<bool>());
        Assert.Equal(new DateOnly(2026, 7, 1).DayNumber - DemoPlant.Clock.LocalDate(overdue.DueAt!.Value).DayNumber, card["daysOverdue"]!.GetValue<int>());
        Assert.Equal("America/Santiago", card["timeZone"]!.GetValue<string>());

        var fresh = Orders.Value.First(o => o.Status == WorkOrderStatus.InProcess && o.DueAt > now);
        Assert.False((await client.CallAsync("get_work_order", ("folio", fresh.Folio))).Meta![WorkOrderCard.MetaKey]!["overdue"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Every_timestamp_of_an_answer_carries_the_plants_offset()
    {
        var plant = await McpPlant.GetAsync();
        await using var client = await plant.ClientAsync(await plant.TokenAsync(plant.A, plant.A.Viewer));
        var answers = new[]
        {
            (await client.CallAsync("list_work_orders", ("page_size", 20))).Ok(),
            (await client.CallAsync("list_pending_tasks", ("page_size", 20))).Ok(),
            (await client.CallAsync("get_asset", ("id", "LLE-01"))).Ok(),
            (await client.CallAsync("list_requests", ("page_size", 20))).Ok(),
        };
        var stamps = answers.SelectMany(Timestamps).ToList();
        Assert.True(stamps.Count > 20);
        Assert.All(stamps, s => Assert.Matches("(-03:00|-04:00)$", s));
    }

    private static IEnumerable<string> Timestamps(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Timestamps(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Timestamps),
        JsonValueKind.String when System.Text.RegularExpressions.Regex.IsMatch(e.GetString()!, @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}") => [e.GetString()!],
        _ => [],
    };
}
