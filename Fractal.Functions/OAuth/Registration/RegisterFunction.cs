using System.Text.Json;
using Fractal.Functions.Hosting.Network;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.OAuth.Clients;
using Fractal.Functions.OAuth.Token;
using Fractal.Functions.Storage;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.OAuth.Registration;

/// <summary>
/// <c>POST /oauth/register</c>: RFC 7591 dynamic client registration, only when Registration:DynamicClientsEnabled
/// (otherwise 404, as if absent; the metadata then has no registration_endpoint). Open registration (§3: no
/// initial access token), as MCP clients expect; abuse is bounded by a per-IP rate limit and by expiry of
/// registrations unused for 30 days. The client belongs to no tenant until a person authorizes it.
/// </summary>
public sealed class RegisterFunction(
    IOptions<RegistrationOptions> options, Hosting.RateLimiting.RequestRateLimits limits, ClientIpResolver ips, DynamicClientRegistrar registrar, ILogger<RegisterFunction> logger)
{
    /// <summary>Metadata is a few hundred bytes; 16 KB leaves room for ten long redirect URIs and more.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    [Function("Register")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "options", Route = "oauth/register")] HttpRequest request)
    {
        var response = request.HttpContext.Response;
        if (!options.Value.DynamicClientsEnabled)
            return new OAuthError("not_found", "Dynamic client registration is not enabled on this server.", StatusCodes.Status404NotFound);
        // Browser-based clients (MCP Inspector) register from the page.
        if (HttpMethods.IsOptions(request.Method)) return Cors.Preflight(request, "POST, OPTIONS");
        Cors.Allow(response, "POST, OPTIONS");
        if (!HttpMethods.IsPost(request.Method))
        {
            response.Headers.Allow = "POST, OPTIONS";
            return new OAuthError("invalid_request", "The registration endpoint accepts POST only.", StatusCodes.Status405MethodNotAllowed);
        }

        if (limits.Refuse(request, Hosting.RateLimiting.RateLimited.RegistrationPerIp, ips.Resolve(request.HttpContext).ToString()) is { } limited)
            return limited;

        var ct = request.HttpContext.RequestAborted;
        try
        {
            // RFC 7591 §3.1: the metadata is a JSON object.
            if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
                return Invalid("The body must be a JSON object (Content-Type: application/json).");
            if (request.ContentLength > MaxBodyBytes) return Invalid($"The body is larger than {MaxBodyBytes} bytes.");
            JsonElement body;
            try
            {
                var buffer = new byte[MaxBodyBytes + 1];
                var read = 0;
                int n;
                while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
                if (read > MaxBodyBytes) return Invalid($"The body is larger than {MaxBodyBytes} bytes.");
                using var document = JsonDocument.Parse(buffer.AsMemory(0, read));
                body = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return Invalid("The body is not valid JSON.");
            }

            var (metadata, error) = ClientMetadataRules.Validate(body, isDocument: false);
            if (metadata is null) return new OAuthError(error!.Error, error.Description);

            var registered = await registrar.RegisterAsync(metadata, ct);
            OAuthError.NoStore(response); // RFC 7591 §3.2.1: the response carries a secret
            return Results.Text(registered.ToJsonString(), "application/json", System.Text.Encoding.UTF8, StatusCodes.Status201Created);
        }
        catch (Exception e) when (StorageFaults.IsTransient(e, ct))
        {
            logger.LogWarning("Registration failed on a dependency: {Fault}", e.GetType().Name);
            return OAuthError.TemporarilyUnavailable(response);
        }
    }

    private static OAuthError Invalid(string description) => new("invalid_client_metadata", description);
}
