using System.Text;
using Fractal.Functions.Consumers;
using Fractal.Functions.Identity;
using Fractal.Functions.OAuth.Clients;
using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.OAuth.Token;

/// <summary>
/// Client authentication at the token and revocation endpoints (RFC 6749 §2.3): <c>client_secret_basic</c>,
/// <c>client_secret_post</c>, or <c>none</c> for public consumers only (a confidential consumer must prove
/// its secret). The secret is checked against the hash in the consumer's row, so a rotation applies at once.
/// Dynamic clients authenticate the same way; metadata-document clients are public (<c>none</c>).
/// </summary>
public sealed class ClientAuthenticator(ClientDirectory directory)
{
    /// <param name="tenantHint">The tenant named by the code's or refresh token's locator: the consumer is then one point read.</param>
    public async Task<(OAuthClient? Client, OAuthError? Error)> AuthenticateAsync(
        HttpRequest request, TokenForm form, TenantId? tenantHint, CancellationToken ct, ClientLookup lookup = ClientLookup.MayFetch)
    {
        var header = request.Headers.Authorization.ToString();
        var usesBasic = header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);
        string? clientId, secret;
        if (usesBasic)
        {
            if (!TryReadBasic(header, out clientId, out secret))
                return (null, OAuthError.InvalidClient("The Basic authorization header is malformed.", basic: true));
            // RFC 6749 §2.3: a client must not use more than one authentication method per request.
            if (form["client_secret"] is not null)
                return (null, OAuthError.InvalidRequest("Use one client authentication method, not both Basic and client_secret."));
            if (form["client_id"] is { } formId && formId != clientId)
                return (null, OAuthError.InvalidRequest("client_id in the body differs from the Basic credentials."));
        }
        else
        {
            clientId = form["client_id"];
            secret = form["client_secret"];
        }
        if (clientId is null) return (null, OAuthError.InvalidClient("Client authentication is required (client_id).", usesBasic));

        var (consumer, _) = await directory.FindAsync(clientId, tenantHint, ct, lookup);
        if (consumer is null) return (null, OAuthError.InvalidClient("Unknown client.", usesBasic));

        if (consumer.IsPublic)
        {
            // A public client has no secret: presenting one is a misconfiguration, not a credential.
            return secret is null ? (consumer, null) : (null, OAuthError.InvalidClient("This client is public and has no secret; use token_endpoint_auth_method none.", usesBasic));
        }
        if (secret is null) return (null, OAuthError.InvalidClient("This client is confidential and must authenticate with its secret.", usesBasic));
        return ClientSecrets.Verify(consumer.SecretHash, secret)
            ? (consumer, null)
            : (null, OAuthError.InvalidClient("Client authentication failed.", usesBasic));
    }

    /// <summary>RFC 6749 §2.3.1: id and secret are form-urlencoded before being joined with ':' and base64-encoded.</summary>
    private static bool TryReadBasic(string header, out string? clientId, out string? secret)
    {
        clientId = secret = null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':');
            if (colon <= 0) return false;
            clientId = Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
            secret = Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' '));
            return secret.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
