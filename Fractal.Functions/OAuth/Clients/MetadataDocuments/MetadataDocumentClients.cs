using Microsoft.Extensions.Logging;

namespace Fractal.Functions.OAuth.Clients.MetadataDocuments;

/// <summary>
/// Clients whose client_id is the URL of their metadata document. The validated document is kept in the
/// <c>GlobalClients</c> table until its HTTP cache lifetime ends (at most 7 days). A table rather than
/// memory: every instance (Flex Consumption scales out and recycles) then shares one copy, so a client's
/// authorize, token and refresh requests landing on different instances cause one fetch, not one each, and
/// the 5-second fetch stays off the token endpoint's usual path.
/// </summary>
public sealed class MetadataDocumentClients(GlobalClientStore store, ClientMetadataFetcher fetcher, TimeProvider time, ILogger<MetadataDocumentClients> logger)
{
    /// <summary>The stored copy, even past its cache lifetime, without any fetch; null when none is stored.</summary>
    public async Task<OAuthClient?> FindStoredAsync(string clientId, CancellationToken ct)
    {
        if (!ClientIdUrl.IsValid(clientId, out _)) return null;
        var row = await store.FindAsync(clientId, ct);
        return row is not null && row.Kind == GlobalClientEntity.MetadataDocumentKind ? row.ToClient() : null;
    }

    /// <summary>The client, or null with the reason it cannot be used.</summary>
    public async Task<(OAuthClient? Client, string? Problem)> FindAsync(string clientId, CancellationToken ct)
    {
        if (!ClientIdUrl.IsValid(clientId, out var problem))
        {
            logger.LogInformation("The client_id {ClientId} breaks the metadata document URL rules: {Problem}", clientId, problem);
            return (null, problem);
        }
        var now = time.GetUtcNow();
        var row = await store.FindAsync(clientId, ct);
        if (row is not null && row.Kind == GlobalClientEntity.MetadataDocumentKind && row.CacheUntil > now)
        {
            await store.TouchAsync(row, ct);
            return (row.ToClient(), null);
        }

        var fetched = await fetcher.FetchAsync(clientId, ct);
        if (fetched.Metadata is not { } m) return (null, fetched.Problem);
        var entity = new GlobalClientEntity
        {
            PartitionKey = ClientKey.Of(clientId),
            RowKey = "",
            ClientId = clientId,
            Kind = GlobalClientEntity.MetadataDocumentKind,
            Name = m.ClientName ?? new Uri(clientId).Host,
            TokenEndpointAuthMethod = m.TokenEndpointAuthMethod,
            RedirectUriList = m.RedirectUris,
            GrantTypes = string.Join(' ', m.GrantTypes),
            Scope = m.Scope,
            ClientUri = m.ClientUri,
            PolicyUri = m.PolicyUri,
            TosUri = m.TosUri,
            CreatedAt = row?.CreatedAt ?? now,
            LastUsedAt = now,
            CacheUntil = now + fetched.Lifetime,
        };
        await store.SaveAsync(entity, ct);
        return (entity.ToClient(), null);
    }
}
