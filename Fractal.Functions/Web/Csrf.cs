using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Fractal.Functions.Identity.Sessions;
using Fractal.Functions.Secrets;
using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Web;

/// <summary>
/// CSRF protection for every form: a signed double-submit token. A random value lives in an HttpOnly,
/// SameSite=Strict cookie; the form carries HMAC(server key, that value). A cross-site page can neither read
/// the cookie nor compute the MAC, and a cookie planted by a sibling host cannot produce a matching token
/// (OWASP CSRF cheat sheet, "signed double-submit cookie").
/// </summary>
public sealed class Csrf(ServiceKeyStore keys)
{
    public const string FormField = "csrf";
    public const string Header = "X-CSRF-Token";
    private const string KeyPurpose = "csrf-key";

    private static string CookieName(HttpRequest request) => SessionCookie.IsSecure(request) ? "__Host-fo_csrf" : "fo_csrf";

    /// <summary>The token for this browser's forms, setting the cookie when the browser has none.</summary>
    public async Task<string> IssueAsync(HttpContext context, CancellationToken ct)
    {
        if (context.Items.TryGetValue(typeof(Csrf), out var issued)) return (string)issued!;
        var value = context.Request.Cookies[CookieName(context.Request)];
        if (string.IsNullOrEmpty(value) || value.Length != 43)
        {
            value = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            var options = SessionCookie.Options(context.Request, expires: null);
            options.SameSite = SameSiteMode.Strict;
            context.Response.Cookies.Append(CookieName(context.Request), value, options);
        }
        var token = await MacAsync(value, ct);
        context.Items[typeof(Csrf)] = token;
        return token;
    }

    public async Task<bool> ValidateAsync(HttpContext context, string? token, CancellationToken ct)
    {
        var value = context.Request.Cookies[CookieName(context.Request)];
        if (string.IsNullOrEmpty(value) || string.IsNullOrEmpty(token) || token.Length > 100) return false;
        var expected = await MacAsync(value, ct);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(token));
    }

    private async Task<string> MacAsync(string value, CancellationToken ct)
    {
        var key = await keys.GetOrCreateAsync(KeyPurpose, ct);
        return Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value)));
    }
}
