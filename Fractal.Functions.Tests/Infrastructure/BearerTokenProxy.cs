using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// A loopback reverse proxy that adds <c>Authorization: Bearer</c> to every request it forwards to one URL, for MCP
/// tools that have no auth option (the official conformance suite). It forwards the method, body and headers (Origin
/// included) and streams the answer back as it comes (SSE); the Host it sends is the target's, so what the app decides
/// about a request is decided on its Origin.
/// </summary>
public sealed class BearerTokenProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Connection", "Authorization", "Content-Length",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    /// <summary>The proxy's own URL (what the tool is pointed at); its origin is <see cref="Origin"/>.</summary>
    public Uri Url { get; }
    public string Origin => Url.GetLeftPart(UriPartial.Authority);

    /// <summary>Where requests go, and with which token; set once the app behind it is up.</summary>
    public Uri? Target { get; set; }
    public string? Token { get; set; }

    private BearerTokenProxy(WebApplication app, Uri url) => (_app, Url) = (app, url);

    public static async Task<BearerTokenProxy> StartAsync(string path)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var proxy = new BearerTokenProxy(app, new Uri($"http://127.0.0.1:{port}{path}"));
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), Target);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            forward.Content = new StreamContent(context.Request.Body);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name)) continue;
            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values)) forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        forward.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        using var answer = await _http.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
            if (!HopByHop.Contains(name)) context.Response.Headers[name] = values.ToArray();
        await using var body = await answer.Content.ReadAsStreamAsync(context.RequestAborted);
        await body.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _http.Dispose();
    }
}
