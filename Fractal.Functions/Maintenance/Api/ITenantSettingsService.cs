using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Domain.Tenancy;

namespace Fractal.Functions.Maintenance.Api;

/// <summary>A tenant's maintenance settings (time zone, operating calendar, crew capacity).</summary>
public interface ITenantSettingsService
{
    /// <summary>The tenant's settings, or <see cref="TenantSettings.Default"/> when none were saved.</summary>
    Task<TenantSettings> GetAsync(TenantId tenant, CancellationToken ct = default);

    Task SaveAsync(TenantId tenant, TenantSettings settings, CancellationToken ct = default);
}
