using Fractal.Functions.Consumers;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Identity;
using Fractal.Functions.OAuth.Clients.MetadataDocuments;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.OAuth.Clients;

/// <summary>Whether finding a metadata-document client may fetch its document.</summary>
public enum ClientLookup
{
    /// <summary>Fetch the document when no fresh copy is stored (authorize, token).</summary>
    MayFetch,
    /// <summary>Only a stored copy, however old; none is an unknown client (revocation).</summary>
    StoredOnly,
}

/// <summary>
/// Finds the client a client_id names, whatever its kind: an https URL is a metadata document (when
/// Registration:MetadataDocumentsEnabled), an id of the dynamic form a registered client (when
/// Registration:DynamicClientsEnabled), anything else a tenant's consumer. A kind that is turned off is
/// unknown, even for clients it admitted while it was on.
/// </summary>
public sealed class ClientDirectory(ConsumerStore consumers, GlobalClientStore globals, MetadataDocumentClients documents, IOptions<RegistrationOptions> options)
{
    /// <summary>Prefix of dynamically registered client_ids (consumer ids are 22 base64url characters, these 26).</summary>
    public const string DynamicPrefix = "dyn-";

    public static bool IsDynamicId(string clientId) => clientId.Length == DynamicPrefix.Length + 22 && clientId.StartsWith(DynamicPrefix, StringComparison.Ordinal);

    /// <param name="tenantHint">The tenant named by a code's or refresh token's locator: a consumer is then one point read.</param>
    public async Task<(OAuthClient? Client, string? Problem)> FindAsync(string clientId, TenantId? tenantHint, CancellationToken ct, ClientLookup lookup = ClientLookup.MayFetch)
    {
        var o = options.Value;
        if (ClientIdUrl.LooksLikeOne(clientId))
        {
            if (!o.MetadataDocumentsEnabled) return (null, null);
            return lookup == ClientLookup.StoredOnly ? (await documents.FindStoredAsync(clientId, ct), null) : await documents.FindAsync(clientId, ct);
        }
        if (IsDynamicId(clientId))
        {
            if (!o.DynamicClientsEnabled) return (null, null);
            var row = await globals.FindAsync(clientId, ct);
            if (row is null || row.Kind != GlobalClientEntity.DynamicKind) return (null, null);
            await globals.TouchAsync(row, ct);
            return (row.ToClient(), null);
        }
        var consumer = (tenantHint is { } tenant ? await consumers.FindAsync(tenant, clientId, ct) : null)
                       ?? await consumers.FindByClientIdAsync(clientId, ct);
        return (consumer is null ? null : OAuthClient.From(consumer), null);
    }
}
