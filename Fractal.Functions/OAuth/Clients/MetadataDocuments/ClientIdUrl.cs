namespace Fractal.Functions.OAuth.Clients.MetadataDocuments;

/// <summary>The rules a client_id must meet to be a metadata document URL (draft-ietf-oauth-client-id-metadata-document §3).</summary>
public static class ClientIdUrl
{
    public const int MaxLength = 512;

    /// <summary>Whether a client_id is meant as a metadata document URL at all (then the other kinds are not tried).</summary>
    public static bool LooksLikeOne(string clientId) => clientId.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// §3: https, a path component, no dot segments, no fragment, no user information; we also refuse a
    /// query (the draft says SHOULD NOT), and '|' (our authorization ids use it as a separator).
    /// </summary>
    public static bool IsValid(string clientId, out string? problem)
    {
        problem = null;
        if (clientId.Length > MaxLength || !Uri.TryCreate(clientId, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            problem = "client_id must be an https URL of at most 512 characters";
        else if (uri.AbsolutePath is "" or "/")
            problem = "client_id must have a path";
        else if (clientId.Contains('#') || clientId.Contains('?') || clientId.Contains('|') || clientId.Any(char.IsWhiteSpace))
            problem = "client_id must not have a fragment, a query, '|' or spaces";
        else if (uri.UserInfo.Length > 0)
            problem = "client_id must not contain user information";
        else if (uri.OriginalString.Split('/').Skip(3).Any(s => s is "." or ".." or "%2e" or "%2E" or "%2e%2e" or "%2E%2E"))
            problem = "client_id must not contain dot segments";
        return problem is null;
    }
}
