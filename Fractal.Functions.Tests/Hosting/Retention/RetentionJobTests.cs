using Azure.Data.Tables;
using Fractal.Functions.Hosting.Retention;
using Fractal.Functions.Audit;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fractal.Functions.Tests.Hosting.Retention;

public sealed class RetentionJobTests
{
    [Fact]
    public async Task The_job_purges_expired_codes_and_sessions_and_old_audit_entries_and_keeps_revoked_families_for_the_retention_period_then_purges_them()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var azurite = await Azurite.StartAsync();
        await using var vault = await FakeKeyVault.StartAsync();
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Audit:RetentionDays"] = "1",
        }, services: s => s.AddSingleton<TimeProvider>(clock), azurite: azurite, vault: vault);
        var tenant = await TestTenant.CreateAsync(app);
        var unredeemed = await OAuthFlow.CodeAsync(app, tenant);
        var kept = await OAuthFlow.TokensAsync(app, tenant);
        var revoked = await OAuthFlow.TokensAsync(app, tenant);
        var client = new TokenClient(app, tenant.ClientId, tenant.ClientSecret);
        (await client.RevokeAsync(revoked["refresh_token"]!.GetValue<string>())).Response.Dispose();
        var families = app.Services.GetRequiredService<TokenFamilyStore>();
        Assert.Equal(2, (await families.ListForGrantAsync(tenant.Id, tenant.Viewer.UserId, tenant.ClientId)).Count);
        Assert.True(await CountAsync(app, TableNames.Sessions) > 0);
        Assert.True(await CountAsync(app, TableNames.AuditLog, tenant.Id.Value) > 0);
        var job = app.Services.GetRequiredService<RetentionJob>();

        var early = await job.RunAsync(CancellationToken.None);
        Assert.All(early.Values, purged => Assert.Equal(0, purged));

        clock.Advance(TimeSpan.FromDays(2));
        var afterTwoDays = await job.RunAsync(CancellationToken.None);

        Assert.Equal(3, afterTwoDays["expired_codes"]);
        Assert.Null(await app.Services.GetRequiredService<GrantStore>().FindCodeAsync(unredeemed.Code));
        Assert.Equal(0, await CountAsync(app, TableNames.Sessions));
        Assert.Equal(0, await CountAsync(app, TableNames.AuditLog, tenant.Id.Value));
        Assert.Equal(0, afterTwoDays["dead_token_families"]);
        Assert.Equal(2, (await families.ListForGrantAsync(tenant.Id, tenant.Viewer.UserId, tenant.ClientId)).Count);

        clock.Advance(TimeSpan.FromDays(28.5)); // revoked 30.5 days ago; the live family was last used as long ago, inside its 30 idle days + 1 grace day
        var afterAMonth = await job.RunAsync(CancellationToken.None);

        Assert.Equal(1, afterAMonth["dead_token_families"]);
        var left = Assert.Single(await families.ListForGrantAsync(tenant.Id, tenant.Viewer.UserId, tenant.ClientId));
        Assert.Null(left.RevokedAt);
        Assert.Equal(OpaqueToken.Hash(kept["refresh_token"]!.GetValue<string>()), left.CurrentHash);
        Assert.Equal(2, await CountAsync(app, TableNames.Grants, tenant.Id.Value, r => r.StartsWith("grantfamily|", StringComparison.Ordinal) || r.StartsWith("family|", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_standalone_hosted_service_runs_the_job_when_the_clock_passes_half_past_three_utc()
    {
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date.AddHours(1), TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        await using var azurite = await Azurite.StartAsync();
        await using var vault = await FakeKeyVault.StartAsync();
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Retention:StandaloneEnabled"] = "true" },
            services: s => s.AddSingleton<TimeProvider>(clock), azurite: azurite, vault: vault);
        var tenant = await TestTenant.CreateAsync(app);
        var code = await OAuthFlow.CodeAsync(app, tenant);
        var codes = app.Services.GetRequiredService<GrantStore>();

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(2)); // past 03:30 of the next day, and past the code's expiry + grace
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await codes.FindCodeAsync(code.Code) is not null && DateTime.UtcNow < deadline) await Task.Delay(200);

        Assert.Null(await codes.FindCodeAsync(code.Code));
    }

    [Fact]
    public void The_schedule_is_the_next_half_past_three_utc()
    {
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 3, 30, 0, TimeSpan.Zero), RetentionSchedule.NextAfter(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 30, 0, TimeSpan.Zero), RetentionSchedule.NextAfter(new DateTimeOffset(2026, 1, 1, 3, 30, 0, TimeSpan.Zero)));
    }

    private static async Task<int> CountAsync(TestApp app, string table, string? partition = null, Func<string, bool>? rowKey = null)
    {
        var client = app.Services.GetRequiredService<TableStore>().Service.GetTableClient(table);
        var count = 0;
        try
        {
            await foreach (var row in client.QueryAsync<TableEntity>(partition is null ? null : $"PartitionKey eq '{partition}'"))
                if (rowKey is null || rowKey(row.RowKey)) count++;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
        }
        return count;
    }
}
