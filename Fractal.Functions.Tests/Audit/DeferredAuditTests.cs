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
    public async Task Deferred_entries_are_written_when_the_app_stops()
    {
        var azurite = await Azurite.Shared;
        var tenant = TenantId.New();
        var app = await TestApp.StartAsync(azurite: azurite);
        var audit = app.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < 150; i++)
            await audit.DeferAsync(tenant, new AuditEntry("tool_call", AuditOutcome.Success, "u-1", "c-1", $"n={i}", Tool: "list_assets"));
        await app.DisposeAsync();

        var table = new TableClient(azurite.ConnectionString, TableNames.AuditLog);
        var rows = table.QueryAsync<TableEntity>(e => e.PartitionKey == tenant.Value);
        var count = 0;
        await foreach (var _ in rows) count++;
        Assert.Equal(150, count);
    }

    [Fact]
    public async Task A_reader_of_the_log_sees_the_entries_deferred_on_its_instance_at_once()
    {
        var app = await TestApp.Shared;
        var tenant = TenantId.New();
        var audit = app.Services.GetRequiredService<AuditLog>();
        await audit.DeferAsync(tenant, new AuditEntry("token_issued", AuditOutcome.Success, "u-1", "c-1", "refresh_token"));

        var page = await audit.ReadNewestFirstAsync(app.Services.GetRequiredService<PagedReader>(), tenant, 10, null);

        Assert.Equal("token_issued", Assert.Single(page.Items).Event);
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
        var page = await audit.ReadNewestFirstAsync(app.Services.GetRequiredService<PagedReader>(), tenant, 10, null);
        Assert.Empty(page.Items);
    }
}
