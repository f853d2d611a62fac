namespace Fractal.Functions.Web;

/// <summary>Where to go after sign-in: only a path on this site, so the sign-in page cannot be used as an open redirector.</summary>
public static class LocalReturnUrl
{
    public const string Default = "/account/sign-in";

    public static string Sanitize(string? url) =>
        !string.IsNullOrEmpty(url) && url.Length <= 16_384 && url[0] == '/'
        && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
        && !url.Any(char.IsControl)
            ? url
            : Default;
}
