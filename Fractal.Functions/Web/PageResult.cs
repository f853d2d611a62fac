using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Web;

/// <summary>
/// An HTML page with the headers every page carries: a strict Content-Security-Policy (no external
/// assets, inline CSS only under this response's nonce, <c>frame-ancestors 'none'</c> against
/// clickjacking of the consent form), no caching, no referrer (authorize URLs carry <c>state</c>).
/// </summary>
public sealed class PageResult : IResult
{
    private readonly int _status;
    private readonly Func<string, string> _render;
    private readonly IReadOnlyList<string> _formTargets;

    /// <param name="render">Builds the page from the response's CSP nonce.</param>
    /// <param name="formTargets">
    /// Origins a form may lead to besides our own. Chrome applies <c>form-action</c> to the redirect that
    /// follows a form post, so the consent page must name the client's callback origin.
    /// </param>
    public PageResult(int status, Func<string, string> render, IReadOnlyList<string>? formTargets = null)
    {
        _status = status;
        _render = render;
        _formTargets = formTargets ?? [];
    }

    public async Task ExecuteAsync(HttpContext context)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var response = context.Response;
        response.StatusCode = _status;
        response.ContentType = "text/html; charset=utf-8";
        var formAction = string.Join(' ', new[] { "'self'" }.Concat(_formTargets));
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; img-src 'self' data:; " +
            $"form-action {formAction}; frame-ancestors 'none'; base-uri 'none'";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
        await response.WriteAsync(_render(nonce), Encoding.UTF8);
    }
}
