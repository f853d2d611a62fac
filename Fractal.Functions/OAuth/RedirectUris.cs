namespace Fractal.Functions.OAuth;

/// <summary>Rules for registered callback URLs and for matching a presented <c>redirect_uri</c>.</summary>
public static partial class RedirectUris
{
    /// <summary>
    /// Whether a URL may be registered: absolute https, or http on a loopback host (RFC 8252 §7.3);
    /// no fragment (RFC 6749 §3.1.2); no user info.
    /// </summary>
    public static bool IsValidRegistration(string? url, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            problem = "must be an absolute URL";
        else if (url.Contains('#'))
            problem = "must not contain a fragment (#)";
        else if (uri.UserInfo.Length > 0)
            problem = "must not contain user information";
        else if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopbackHost(uri.Host))
            problem = "must use https (http only on a loopback host such as 127.0.0.1)";
        else if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            problem = "must use https";
        return problem is null;
    }

    /// <summary>
    /// Exact string comparison against the registered list (OAuth 2.1 §2.3.1, RFC 9700 §4.1.3): no
    /// normalisation of case, trailing slashes, paths or queries. The one exception is RFC 8252 §7.3: for
    /// a registered loopback http URL, the port may differ (native apps listen on an ephemeral port).
    /// </summary>
    public static bool Matches(IEnumerable<string> registered, string presented) =>
        registered.Any(r => string.Equals(r, presented, StringComparison.Ordinal) || LoopbackMatch(r, presented));

    private static bool LoopbackMatch(string registered, string presented)
    {
        var r = LoopbackUrl().Match(registered);
        var p = LoopbackUrl().Match(presented);
        // Everything but the port must still be identical, character for character.
        return r.Success && p.Success
               && string.Equals(r.Groups["host"].Value + r.Groups["rest"].Value, p.Groups["host"].Value + p.Groups["rest"].Value, StringComparison.Ordinal);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^http://(?<host>localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?(?<rest>[/?][^#]*)?$")]
    private static partial System.Text.RegularExpressions.Regex LoopbackUrl();

    public static bool IsLoopbackHost(string host) =>
        host is "localhost" or "127.0.0.1" or "[::1]" or "::1";
}
