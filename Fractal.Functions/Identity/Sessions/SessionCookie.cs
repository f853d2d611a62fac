using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Identity.Sessions;

/// <summary>
/// Cookie names and attributes. Over https the <c>__Host-</c> prefix pins the cookie to our host with
/// Secure and Path=/ (RFC 6265bis §4.1.3.2); only plain-http loopback development drops Secure.
/// </summary>
internal static class SessionCookie
{
    public static string Name(HttpRequest request) => IsSecure(request) ? "__Host-fo_session" : "fo_session";

    public static CookieOptions Options(HttpRequest request, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = IsSecure(request),
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    public static bool IsSecure(HttpRequest request) => !(request.Scheme == "http" && IsLoopbackHost(request.Host.Host));

    internal static bool IsLoopbackHost(string host) =>
        host is "localhost" or "127.0.0.1" or "[::1]" or "::1" || host.StartsWith("127.", StringComparison.Ordinal);
}
