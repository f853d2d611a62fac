using Fractal.Functions.Hosting.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Hosting;

/// <summary>
/// The base of every absolute URL we publish, and the OAuth issuer. <c>Fractal:PublicBaseUrl</c> when set
/// (always outside Development: behind the Functions host the request's scheme and host are only what
/// proxy headers say); otherwise, in Development, the request's own scheme and host.
/// </summary>
public sealed class PublicUrls(IOptions<FractalOptions> options)
{
    public string BaseUrl(HttpRequest request)
    {
        var configured = options.Value.PublicBaseUrl;
        return string.IsNullOrWhiteSpace(configured) ? $"{request.Scheme}://{request.Host}{request.PathBase}".TrimEnd('/') : configured;
    }

    /// <summary>The issuer (RFC 8414 §2): exactly the base URL, byte for byte, in metadata, tokens and <c>iss</c> parameters.</summary>
    public string Issuer(HttpRequest request) => BaseUrl(request);

    public string Absolute(HttpRequest request, string path) => BaseUrl(request) + path;
}
