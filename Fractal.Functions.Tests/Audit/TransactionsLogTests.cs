using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fractal.Functions.Audit;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fractal.Functions.Tests.Audit;

/// <summary>The audit log as admins read it: /api/v1/audit (JSON and CSV) and the Transactions log page.</summary>
public sealed class TransactionsLogTests
{
    private static async Task<(TestApp App, TestTenant Tenant, string Token)> WithEntriesAsync()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var audit = app.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < 30; i++)
        {
            await audit.WriteAsync(tenant.Id, new AuditEntry("tool_call", i % 3 == 0 ? AuditOutcome.Failure : AuditOutcome.Success,
                i % 2 == 0 ? tenant.Technician.UserId : tenant.Viewer.UserId, tenant.ClientId, $"folio=OT-{i}", Tool: i % 2 == 0 ? "complete_task" : "get_work_order", DurationMs: i));
        }
        return (app, tenant, await AdminApiTokenAsync(app, tenant));
    }

    private static async Task<string> AdminApiTokenAsync(TestApp app, TestTenant tenant)
    {
        var requests = new OAuthRequests(app);
        return (await OAuthFlow.TokensAsync(app, tenant, tenant.Admin, p => { p["resource"] = requests.ApiResource; p["scope"] = "audit_read"; }))["access_token"]!.GetValue<string>();
    }

    private static async Task<JsonNode> GetAsync(TestApp app, string token, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await app.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task The_api_filters_by_tool_outcome_and_user_and_pages_through_every_match_exactly_once()
    {
        var (app, tenant, token) = await WithEntriesAsync();
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await GetAsync(app, token, $"?tool=complete_task&user={Uri.EscapeDataString(tenant.Technician.Email)}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["detail"]!.GetValue<string>()));
            Assert.All(page["items"]!.AsArray(), i => Assert.Equal("complete_task", i!["tool"]!.GetValue<string>()));
            cursor = page["next_cursor"]?.GetValue<string>();
        } while (cursor is not null);
        Assert.Equal(15, seen.Count);
        Assert.Equal(15, seen.Distinct().Count());
        Assert.Equal("folio=OT-28", seen[0]); // newest first

        var failures = await GetAsync(app, token, "?outcome=failure");
        Assert.Equal(10, failures["items"]!.AsArray().Count(i => i!["event"]!.GetValue<string>() == "tool_call"));
    }

    [Fact]
    public async Task A_period_outside_the_entries_returns_nothing_and_a_bad_date_is_a_problem()
    {
        var (app, _, token) = await WithEntriesAsync();
        Assert.Empty((await GetAsync(app, token, "?from=2001-01-01&to=2001-12-31"))["items"]!.AsArray());
        Assert.NotEmpty((await GetAsync(app, token, $"?from={DateTime.UtcNow:yyyy-MM-dd}&to={DateTime.UtcNow:yyyy-MM-dd}"))["items"]!.AsArray());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit?from=yesterday");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task The_csv_export_has_a_header_a_row_per_entry_and_neutralises_formulas()
    {
        var (app, tenant, token) = await WithEntriesAsync();
        await app.Services.GetRequiredService<AuditLog>().WriteAsync(tenant.Id, new AuditEntry("tool_call", AuditOutcome.Success, Detail: "=HYPERLINK(\"http://evil\")", Tool: "search"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit?format=csv");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await app.Http.SendAsync(request);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("at,event,tool,outcome,user_id,client_id,duration_ms,detail", lines[0]);
        Assert.True(lines.Length >= 32);
        Assert.Contains(lines, l => l.EndsWith("\"'=HYPERLINK(\"\"http://evil\"\")\"", StringComparison.Ordinal));
    }

    /// <summary>OWASP CSV injection: each of the six characters a spreadsheet reads as the start of a formula.</summary>
    [Theory]
    [InlineData('=')]
    [InlineData('+')]
    [InlineData('-')]
    [InlineData('@')]
    [InlineData('\t')]
    [InlineData('\r')]
    public async Task The_csv_export_neutralises_a_cell_led_by_each_formula_character(char lead)
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        // What a client-chosen argument name can put in the detail of its call's audit entry.
        await app.Services.GetRequiredService<AuditLog>().WriteAsync(tenant.Id, new AuditEntry("tool_call", AuditOutcome.Success, Detail: lead + "=HYPERLINK(\"http://evil\")", Tool: "search"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit?format=csv");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await AdminApiTokenAsync(app, tenant));
        using var response = await app.Http.SendAsync(request);
        var csv = await response.Content.ReadAsStringAsync();
        Assert.Contains(",\"'" + lead + "=HYPERLINK(\"\"http://evil\"\")\"\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_of_another_tenant_sees_none_of_these_entries()
    {
        var (app, tenant, _) = await WithEntriesAsync();
        var other = await TestTenant.CreateAsync(app);
        var requests = new OAuthRequests(app);
        var token = (await OAuthFlow.TokensAsync(app, other, other.Admin, p => { p["resource"] = requests.ApiResource; p["scope"] = "audit_read"; }))["access_token"]!.GetValue<string>();
        var page = await GetAsync(app, token, "?tool=complete_task");
        Assert.Empty(page["items"]!.AsArray());
        Assert.DoesNotContain(tenant.ClientId, page.ToJsonString());
    }

    [Fact]
    public async Task The_transactions_log_page_filters_and_pages_in_a_browser()
    {
        var (app, tenant, _) = await WithEntriesAsync();
        var audit = app.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < 50; i++) await audit.WriteAsync(tenant.Id, new AuditEntry("tool_call", AuditOutcome.Success, tenant.Viewer.UserId, tenant.ClientId, $"n={i}", Tool: "list_assets"));
        await using var context = await Chromium.NewContextAsync("en-US");
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/settings/api-connections/transactions-log").ToString());
        await page.SignInAsync(tenant.Admin);

        await page.FillAsync("input[name=tool]", "list_assets");
        await page.ClickAsync("#apply-filters");
        await Expect(page).ToHaveURLAsync(new Regex("tool=list_assets"));
        await Expect(page.Locator("#log tbody tr")).ToHaveCountAsync(50);
        await page.ClickAsync("#next-page");
        await Expect(page).ToHaveURLAsync(new Regex("cursor="));
        await Expect(page.Locator("#log tbody tr td.outcome")).ToHaveCountAsync(0);
        await page.GoBackAsync();
        await page.SelectOptionAsync("select[name=outcome]", "Failure");
        await page.FillAsync("input[name=tool]", "");
        await page.ClickAsync("#apply-filters");
        await Expect(page).ToHaveURLAsync(new Regex("outcome=Failure"));
        await Expect(page.Locator("#log tbody tr")).ToHaveCountAsync(10);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("transactions-log"), FullPage = true });
    }
}

public sealed class AuditRetentionTests
{
    [Fact]
    public async Task Entries_older_than_the_retention_period_are_purged_and_newer_ones_kept()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Audit:RetentionDays"] = "30" }, s => s.AddSingleton<TimeProvider>(clock));
        var tenant = Fractal.Functions.Identity.TenantId.New();
        var audit = app.Services.GetRequiredService<AuditLog>();
        await audit.WriteAsync(tenant, new AuditEntry("old", AuditOutcome.Success));
        clock.Advance(TimeSpan.FromDays(20));
        await audit.WriteAsync(tenant, new AuditEntry("recent", AuditOutcome.Success));
        clock.Advance(TimeSpan.FromDays(15));

        Assert.Equal(1, await app.Services.GetRequiredService<AuditRetention>().PurgeAsync(tenant));
        var left = await AuditEntries.AllAsync(app, tenant);
        Assert.Equal(["recent"], left.Select(e => e.Event));
    }
}
