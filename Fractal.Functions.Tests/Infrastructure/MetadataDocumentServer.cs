using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// A loopback HTTPS server (Kestrel, a self-signed certificate made in the test) that plays the sites
/// hosting client ID metadata documents: each test serves its own paths and counts how often each was fetched.
/// </summary>
public sealed class MetadataDocumentServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);

    public Uri BaseAddress { get; }

    private MetadataDocumentServer(WebApplication app, X509Certificate2 certificate, Uri baseAddress)
    {
        _app = app;
        _certificate = certificate;
        BaseAddress = baseAddress;
    }

    public static async Task<MetadataDocumentServer> StartAsync()
    {
        var certificate = FakeKeyVault.CreateSelfSignedCertificate();
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var server = new MetadataDocumentServer(app, certificate, new Uri($"https://127.0.0.1:{port}/"));
        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>Trusts exactly this server's certificate (what the app under test is given).</summary>
    public RemoteCertificateValidationCallback CertificateValidation()
    {
        var thumbprint = _certificate.Thumbprint;
        return (_, cert, _, _) => cert is not null && new X509Certificate2(cert).Thumbprint == thumbprint;
    }

    /// <summary>A fresh path on this server, as a client_id URL.</summary>
    public string NewUrl(string name = "client.json") => new Uri(BaseAddress, $"{Guid.NewGuid():N}/{name}").ToString();

    public void Serve(string url, Func<HttpContext, Task> handler) => _routes[new Uri(url).AbsolutePath] = handler;

    /// <summary>Serves a JSON document, with optional Cache-Control.</summary>
    public void ServeJson(string url, JsonNode document, string? cacheControl = null) => Serve(url, async context =>
    {
        if (cacheControl is not null) context.Response.Headers.CacheControl = cacheControl;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(document.ToJsonString());
    });

    /// <summary>A valid document for <paramref name="url"/>, public client (none), with the given redirect URIs.</summary>
    public static JsonObject Document(string url, string name = "Document Client", params string[] redirectUris) => new()
    {
        ["client_id"] = url,
        ["client_name"] = name,
        ["redirect_uris"] = new JsonArray([.. (redirectUris.Length == 0 ? [TestTenant.ClientCallback] : redirectUris).Select(u => JsonValue.Create(u))]),
        ["grant_types"] = new JsonArray("authorization_code", "refresh_token"),
        ["response_types"] = new JsonArray("code"),
        ["token_endpoint_auth_method"] = "none",
    };

    public int Hits(string url) => _hits.TryGetValue(new Uri(url).AbsolutePath, out var n) ? n : 0;

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        _hits.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (_routes.TryGetValue(path, out var handler)) await handler(context);
        else context.Response.StatusCode = 404;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate.Dispose();
    }
}
