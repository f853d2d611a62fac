using Fractal.Functions.Audit;
using Fractal.Functions.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>Reads a tenant's audit log as the Transactions log does (one entry per event, bundles expanded).</summary>
public static class AuditEntries
{
    /// <summary>Every entry of the tenant, newest first, read through every page.</summary>
    public static async Task<IReadOnlyList<AuditEntity>> AllAsync(TestApp app, TenantId tenant)
    {
        var query = app.Services.GetRequiredService<AuditQuery>();
        var all = new List<AuditEntity>();
        string? cursor = null;
        do
        {
            var (items, next) = await query.ReadAsync(tenant, new AuditFilter(), 1000, cursor, CancellationToken.None);
            all.AddRange(items);
            cursor = next;
        } while (cursor is not null);
        return all;
    }
}
