using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Tenants;

namespace Fractal.Functions.OAuth.Clients;

/// <summary>
/// Whether a tenant's people may use a client. A consumer: only its own tenant's. A dynamic client: unless
/// the tenant admin blocked dynamic clients. A metadata-document client: only when its document's host is
/// on the tenant's allowlist (exact host match; default chatgpt.com and claude.ai). Checked at consent and
/// again at every code exchange and refresh, so a block takes effect on connections already made.
/// </summary>
public sealed class TenantClientPolicy(TenantStore tenants)
{
    public async Task<bool> AllowsAsync(TenantId tenant, OAuthClient client, CancellationToken ct)
    {
        if (client.Kind == ClientKind.Consumer) return client.OwnerTenant == tenant;
        var settings = await tenants.FindAsync(tenant, ct);
        if (settings is null) return false;
        return client.Kind == ClientKind.Dynamic
            ? settings.DynamicClientsAllowed
            : settings.MetadataDocumentHostList.Contains(client.DocumentHost!, StringComparer.OrdinalIgnoreCase);
    }
}
