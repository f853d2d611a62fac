using Azure.Data.Tables;
using Fractal.Functions.Audit;
using Fractal.Functions.Identity;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Audit;

/// <summary>Audit entries of reads are deferred to batches (docs/performance.md): none is lost by a normal stop, and readers see them at once.</summary>
public sealed class DeferredAuditTests
{
    [Fact]
    public async Task Deferred_entries_are_written_when_the_app_stops_several_to_a_row()
    {
        var azurite = await Azurite.Shared;
        var tenant = TenantId.New();
        var app = await TestApp.StartAsync(azurite: azurite);
        var audit = app.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < 150; i++)
            await audit.DeferAsync(tenant, new AuditEntry("tool_call", AuditOutcome.Success, "u-1", "c-1", $"n={i}", Tool: "list_assets"));
        await app.DisposeAsync();

        var table = new TableClient(azurite.ConnectionString, TableNames.AuditLog);
        var rows = new List<AuditEntity>();
        await foreach (var row in table.QueryAsync<AuditEntity>(e => e.PartitionKey == tenant.Value)) rows.Add(row);
        var entries = rows.SelectMany(AuditBundles.Expand).ToList();
        Assert.Equal(Enumerable.Range(0, 150).Select(i => $"n={i}").Order(), entries.Select(e => e.Detail!).Order());
        Assert.All(entries, e => Assert.Equal(("tool_call", "Success", "u-1", "c-1", "list_assets"), (e.Event, e.Outcome, e.UserId, e.ClientId, e.Tool)));
        Assert.InRange(rows.Count, 1, 10); // bundles of ~70 such entries, not a row per entry
    }

    /// <summary>An app whose clock moves 1 ms per deferred entry, so "newest first" is one exact order.</summary>
    private static async Task<(TestApp App, TenantId Tenant, DateTimeOffset[] Stamps)> WithDeferredEntriesAsync(int count, Func<int, string> tool)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = await TestApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock), azurite: await Azurite.Shared);
        var tenant = TenantId.New();
        var audit = app.Services.GetRequiredService<AuditLog>();
        var stamps = new DateTimeOffset[count];
        for (var i = 0; i < count; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
            stamps[i] = clock.GetUtcNow();
            await audit.DeferAsync(tenant, new AuditEntry("tool_call", AuditOutcome.Success, "u-1", "c-1", $"n={i}", Tool: tool(i)));
        }
        await audit.FlushDeferredAsync();
        return (app, tenant, stamps);
    }

    private static async Task<List<string>> ReadAllPagesAsync(AuditQuery query, TenantId tenant, AuditFilter filter, int pageSize)
    {
        var details = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var (items, next) = await query.ReadAsync(tenant, filter, pageSize, cursor, CancellationToken.None);
            Assert.InRange(items.Count, 0, pageSize);
            Assert.True(++pages <= 200, "the cursor does not move on"); // a cursor that repeats a page would loop for ever
            details.AddRange(items.Select(e => e.Detail!));
            cursor = next;
        } while (cursor is not null);
        return details;
    }

    [Fact]
    public async Task Pages_that_end_inside_a_bundle_go_on_with_its_next_entry_newest_first_each_entry_once()
    {
        var (app, tenant, _) = await WithDeferredEntriesAsync(200, _ => "list_assets");
        await using var _ = app;

        var details = await ReadAllPagesAsync(app.Services.GetRequiredService<AuditQuery>(), tenant, new AuditFilter(), pageSize: 7);

        Assert.Equal(Enumerable.Range(0, 200).Reverse().Select(i => $"n={i}"), details);
        var rows = 0;
        await foreach (var row in (await app.Services.GetRequiredService<TableStore>().GetTableAsync(TableNames.AuditLog))
                           .QueryAsync<AuditEntity>(e => e.PartitionKey == tenant.Value, select: ["RowKey"])) rows++;
        Assert.InRange(rows, 2, 20); // the pages above crossed bundle rows, and inside them
    }

    [Fact]
    public async Task Filters_and_the_period_apply_to_each_entry_of_a_bundle()
    {
        var (app, tenant, stamps) = await WithDeferredEntriesAsync(120, i => i % 3 == 0 ? "get_asset" : "list_assets");
        await using var _ = app;
        var query = app.Services.GetRequiredService<AuditQuery>();

        var byTool = await ReadAllPagesAsync(query, tenant, new AuditFilter(Tool: "get_asset"), pageSize: 5);
        Assert.Equal(Enumerable.Range(0, 120).Where(i => i % 3 == 0).Reverse().Select(i => $"n={i}"), byTool);

        // A period that starts and ends inside bundles: only the entries stamped within it.
        var period = await ReadAllPagesAsync(query, tenant, new AuditFilter(From: stamps[50], To: stamps[89]), pageSize: 50);
        Assert.Equal(Enumerable.Range(50, 40).Reverse().Select(i => $"n={i}"), period);
    }

    [Fact]
    public async Task A_reader_of_the_log_sees_the_entries_deferred_on_its_instance_at_once()
    {
        var app = await TestApp.Shared;
        var tenant = TenantId.New();
        var audit = app.Services.GetRequiredService<AuditLog>();
        await audit.DeferAsync(tenant, new AuditEntry("token_issued", AuditOutcome.Success, "u-1", "c-1", "refresh_token"));

        var entries = await AuditEntries.AllAsync(app, tenant);

        Assert.Equal("token_issued", Assert.Single(entries).Event);
    }

    [Fact]
    public async Task A_purge_removes_old_entries_still_waiting_in_the_deferred_queue()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Audit:RetentionDays"] = "1" },
            services: s => s.AddSingleton<TimeProvider>(clock), azurite: await Azurite.Shared);
        var tenant = TenantId.New();
        var audit = app.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < 3; i++) await audit.DeferAsync(tenant, new AuditEntry("token_issued", AuditOutcome.Success, "u-1", "c-1", "refresh_token"));

        clock.Advance(TimeSpan.FromDays(2));
        var purged = await app.Services.GetRequiredService<AuditRetention>().PurgeAsync(tenant);
        await audit.FlushDeferredAsync(); // whatever the purge left queued lands now

        Assert.Equal(3, purged);
        Assert.Empty(await AuditEntries.AllAsync(app, tenant));
    }
}
