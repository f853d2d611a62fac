using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Activity;

namespace Fractal.Functions.Maintenance.Api;

/// <summary>The activity feed (<c>get_activity</c>): what happened to work orders, meters and requests, newest first.</summary>
public interface IActivityService
{
    /// <summary>
    /// Events of <paramref name="sources"/> matching <paramref name="query"/>, newest first; the cursor continues after
    /// the last event shown. Each source is one RowKey range of its own table, read concurrently.
    /// </summary>
    Task<DomainResult<Page<ActivityEvent>>> ReadAsync(TenantId tenant, ActivityQuery query, ActivitySources sources, PageRequest page, CancellationToken ct = default);
}
