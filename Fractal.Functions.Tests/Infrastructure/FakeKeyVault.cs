using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// A small HTTPS endpoint speaking the subset of the Key Vault secrets REST API the app uses, so tests run
/// the real <see cref="SecretClient"/> end to end: the unauthenticated first request and its bearer
/// challenge, PUT/GET/DELETE of secrets, soft delete (a deleted name answers 409 to a PUT until purged),
/// and a switch that makes the vault fail like an outage.
/// </summary>
public sealed class FakeKeyVault : IAsyncDisposable
{
    public const string AccessToken = "fake-key-vault-access-token";
    private static readonly Lazy<Task<FakeKeyVault>> SharedInstance = new(StartAsync);

    private readonly ConcurrentDictionary<string, JsonObject> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, JsonObject> _deleted = new(StringComparer.OrdinalIgnoreCase);
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private int _challenges;

    public Uri VaultUri { get; }

    /// <summary>While false, every request answers 503, as a vault outage would look.</summary>
    public bool Available { get; set; } = true;

    /// <summary>How many unauthenticated requests got the bearer challenge.</summary>
    public int ChallengesIssued => _challenges;

    public static Task<FakeKeyVault> Shared => SharedInstance.Value;

    private FakeKeyVault(WebApplication app, X509Certificate2 certificate, Uri vaultUri)
    {
        _app = app;
        _certificate = certificate;
        VaultUri = vaultUri;
    }

    public static async Task<FakeKeyVault> StartAsync()
    {
        var certificate = CreateSelfSignedCertificate();
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var vault = new FakeKeyVault(app, certificate, new Uri($"https://127.0.0.1:{port}/"));
        app.Run(vault.HandleAsync);
        await app.StartAsync();
        return vault;
    }

    /// <summary>Client options that trust only this endpoint's certificate and accept its local challenge.</summary>
    public SecretClientOptions ClientOptions()
    {
        var thumbprint = _certificate.Thumbprint;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == thumbprint,
        };
        return new SecretClientOptions
        {
            Transport = new HttpClientTransport(handler),
            DisableChallengeResourceVerification = true,
            Retry = { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(50) },
        };
    }

    public bool Contains(string name) => _secrets.ContainsKey(name);
    public bool IsSoftDeleted(string name) => _deleted.ContainsKey(name);
    public IReadOnlyCollection<string> Values => _secrets.Values.Select(s => s["value"]!.GetValue<string>()).ToList();

    /// <summary>The names of the live (not deleted) secrets.</summary>
    public IReadOnlyCollection<string> Names => _secrets.Keys.ToList();

    /// <summary>The value of a live secret, or null.</summary>
    public string? ValueOf(string name) => _secrets.GetValueOrDefault(name)?["value"]?.GetValue<string>();

    private async Task HandleAsync(HttpContext context)
    {
        if (!Available)
        {
            context.Response.StatusCode = 503;
            return;
        }
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization != "Bearer " + AccessToken)
        {
            Interlocked.Increment(ref _challenges);
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate =
                "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"";
            return;
        }

        var segments = context.Request.Path.Value!.Trim('/').Split('/');
        var method = context.Request.Method;
        switch (segments)
        {
            case ["secrets", var name] when method == "PUT":
                await PutAsync(context, name);
                return;
            case ["secrets", var name, ..] when method == "GET" && segments.Length <= 3:
                await WriteSecretOrNotFound(context, _secrets.GetValueOrDefault(name), name);
                return;
            case ["secrets", var name] when method == "DELETE":
                if (!_secrets.TryRemove(name, out var removed))
                {
                    await WriteError(context, 404, "SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault.");
                    return;
                }
                var deleted = (JsonObject)removed.DeepClone();
                deleted["recoveryId"] = $"{VaultUri}deletedsecrets/{name}";
                deleted["deletedDate"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                deleted["scheduledPurgeDate"] = DateTimeOffset.UtcNow.AddDays(90).ToUnixTimeSeconds();
                deleted.Remove("value");
                _deleted[name] = deleted;
                await WriteJson(context, 200, deleted);
                return;
            case ["deletedsecrets", var name] when method == "GET":
                await WriteSecretOrNotFound(context, _deleted.GetValueOrDefault(name), name);
                return;
            case ["deletedsecrets", var name] when method == "DELETE":
                context.Response.StatusCode = _deleted.TryRemove(name, out _) ? 204 : 404;
                return;
            default:
                await WriteError(context, 400, "BadParameter", "Unsupported request.");
                return;
        }
    }

    private async Task PutAsync(HttpContext context, string name)
    {
        if (_deleted.ContainsKey(name))
        {
            // As Key Vault does with soft delete on: the name stays taken until purged or recovered.
            await WriteError(context, 409, "Conflict",
                $"Secret {name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.");
            return;
        }
        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? new JsonObject();
        var version = Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var bundle = new JsonObject
        {
            ["value"] = body["value"]?.GetValue<string>(),
            ["contentType"] = body["contentType"]?.GetValue<string>(),
            ["id"] = $"{VaultUri}secrets/{name}/{version}",
            ["attributes"] = new JsonObject { ["enabled"] = true, ["created"] = now, ["updated"] = now, ["recoveryLevel"] = "Recoverable" },
            ["tags"] = body["tags"]?.DeepClone() ?? new JsonObject(),
        };
        _secrets[name] = bundle;
        await WriteJson(context, 200, bundle);
    }

    private static Task WriteSecretOrNotFound(HttpContext context, JsonObject? bundle, string name) =>
        bundle is null
            ? WriteError(context, 404, "SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault.")
            : WriteJson(context, 200, bundle);

    private static Task WriteError(HttpContext context, int status, string code, string message) =>
        WriteJson(context, status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private static async Task WriteJson(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    internal static X509Certificate2 CreateSelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Kestrel needs the private key in a form it can load on Linux: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate.Dispose();
    }
}

/// <summary>Stands in for DefaultAzureCredential: hands out the token the fake vault accepts.</summary>
public sealed class FakeCredential : TokenCredential
{
    public int TokensIssued;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref TokensIssued);
        return new AccessToken(FakeKeyVault.AccessToken, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
