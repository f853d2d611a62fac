using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.OAuth.Clients.MetadataDocuments;

/// <summary>A fetched and validated document, or why it was refused.</summary>
public sealed record FetchedDocument(ClientMetadata? Metadata, TimeSpan Lifetime, string? Problem);

/// <summary>
/// Fetches a client ID metadata document with SSRF guards (draft-ietf-oauth-client-id-metadata-document §6,
/// MCP 2025-11-25 security considerations): https only; the host is resolved and every non-public address
/// refused, and the connection goes to the very address that was checked (so DNS rebinding between check
/// and connect cannot reach a private address); redirects refused; at most 5 KB; 5 seconds in all.
/// The document's client_id must equal the URL exactly (§4.1).
/// </summary>
public sealed class ClientMetadataFetcher : IDisposable
{
    private readonly HttpClient _http;
    private readonly ClientMetadataFetchOptions _options;
    private readonly ILogger<ClientMetadataFetcher> _logger;
    private readonly TimeProvider _time;

    public ClientMetadataFetcher(ClientMetadataFetchOptions options, ILogger<ClientMetadataFetcher> logger, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false, // a proxy would resolve the host itself and bypass the address check
            AutomaticDecompression = DecompressionMethods.None, // the size cap applies to what we read
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = ConnectToPublicAddressAsync,
        };
        if (options.CertificateValidation is { } validation) handler.SslOptions.RemoteCertificateValidationCallback = validation;
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("FractalOne-OAuth/1.0");
    }

    public async Task<FetchedDocument> FetchAsync(string url, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if ((int)response.StatusCode is >= 300 and < 400) return Refused(url, "the document URL answered with a redirect, and redirects are refused");
            if (response.StatusCode != HttpStatusCode.OK) return Refused(url, $"the document URL answered HTTP {(int)response.StatusCode}");
            if (response.Content.Headers.ContentLength > _options.MaxBytes) return Refused(url, $"the document is larger than {_options.MaxBytes} bytes");

            var body = await ReadCappedAsync(response.Content, timeout.Token);
            if (body is null) return Refused(url, $"the document is larger than {_options.MaxBytes} bytes");
            JsonElement json;
            try
            {
                using var document = JsonDocument.Parse(body);
                json = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return Refused(url, "the document is not JSON");
            }
            if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("client_id", out var id) || id.ValueKind != JsonValueKind.String
                || !string.Equals(id.GetString(), url, StringComparison.Ordinal))
                return Refused(url, "the document's client_id is not exactly its URL");
            var (metadata, error) = ClientMetadataRules.Validate(json, isDocument: true);
            if (metadata is null) return Refused(url, error!.Description);
            return new FetchedDocument(metadata, CacheLifetime.From(response.Headers, response.Content.Headers, _time.GetUtcNow()), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Refused(url, $"the document did not arrive within {_options.Timeout.TotalSeconds:0.#} seconds");
        }
        catch (HttpRequestException e) when (e.InnerException is NonPublicAddressException refusal)
        {
            return Refused(url, refusal.Message);
        }
        catch (HttpRequestException e)
        {
            return Refused(url, $"the document could not be fetched ({e.HttpRequestError})");
        }
    }

    /// <summary>The reason is for the operator's log; the person sees one generic message (issue 24 #6).</summary>
    private FetchedDocument Refused(string url, string problem)
    {
        _logger.LogInformation("The client ID metadata document {ClientId} was refused: {Problem}", url, problem);
        return new FetchedDocument(null, TimeSpan.Zero, problem);
    }

    private async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new byte[_options.MaxBytes + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0) break;
            read += n;
        }
        return read > _options.MaxBytes ? null : buffer[..read];
    }

    /// <summary>Resolves the host, refuses non-public addresses (unless allowed), connects to a checked one.</summary>
    private async ValueTask<Stream> ConnectToPublicAddressAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(a => _options.AllowPrivateAddresses || PublicAddress.IsPublic(a)).ToList();
        if (allowed.Count == 0) throw new NonPublicAddressException($"the host {host} resolves only to private, loopback or otherwise non-public addresses");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.ToArray(), context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();

    private sealed class NonPublicAddressException(string message) : Exception(message);
}
