using System.Net.Http.Headers;

namespace Fractal.Functions.OAuth.Clients.MetadataDocuments;

/// <summary>
/// How long a fetched document may be reused, from its HTTP caching headers (RFC 9111 §4.2.1): no-store or
/// no-cache → not reused; max-age (s-maxage first: we are a shared cache) → that; Expires − Date → that;
/// none of these → one hour (a heuristic lifetime, RFC 9111 §4.2.2). Always at most 7 days (the cap),
/// so a client that changes its redirect URIs is noticed within a week at worst.
/// </summary>
public static class CacheLifetime
{
    public static readonly TimeSpan Max = TimeSpan.FromDays(7);
    public static readonly TimeSpan Heuristic = TimeSpan.FromHours(1);

    public static TimeSpan From(HttpResponseHeaders headers, HttpContentHeaders content, DateTimeOffset now)
    {
        var cc = headers.CacheControl;
        TimeSpan lifetime;
        if (cc is { NoStore: true } or { NoCache: true }) lifetime = TimeSpan.Zero;
        else if (cc?.SharedMaxAge is { } shared) lifetime = shared;
        else if (cc?.MaxAge is { } maxAge) lifetime = maxAge;
        else if (content.Expires is { } expires) lifetime = expires - (headers.Date ?? now);
        else lifetime = Heuristic;
        if (headers.Age is { } age) lifetime -= age;
        return lifetime < TimeSpan.Zero ? TimeSpan.Zero : lifetime > Max ? Max : lifetime;
    }
}
