namespace Fractal.Functions.Hosting.Options;

/// <summary>Product-wide settings. Section <c>Fractal</c>.</summary>
public sealed class FractalOptions
{
    public const string Section = "Fractal";

    /// <summary>
    /// <c>Fractal:PublicBaseUrl</c>: the OAuth issuer and the base of every absolute URL we publish.
    /// Behind the Functions host the request's own scheme and host come from proxy headers, so outside
    /// Development this must be set; in Development it may be left out and is taken from the request.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// <c>Fractal:RecordUrlTemplate</c>: where the <c>url</c> of a <c>search</c>/<c>fetch</c> result points when
    /// the tenant has its own UI, e.g. <c>https://app.fractal.example/{kind}/{id}</c>. Empty: this app's own
    /// record pages, <c>&lt;PublicBaseUrl&gt;/records/{kind}/{id}</c>.
    /// </summary>
    public string? RecordUrlTemplate { get; set; }
}
