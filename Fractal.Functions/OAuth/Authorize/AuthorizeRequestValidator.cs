using Fractal.Functions.OAuth.Clients;

namespace Fractal.Functions.OAuth.Authorize;

/// <summary>Validates an authorization request, in the order the RFCs require (client and redirect first).</summary>
public sealed class AuthorizeRequestValidator(ClientDirectory clients)
{
    /// <summary>ChatGPT has sent 521-character states; we accept far more and still bound the row size.</summary>
    public const int MaxStateLength = 4096;

    public async Task<AuthorizeValidation> ValidateAsync(AuthorizeParameters p, string baseUrl, CancellationToken ct)
    {
        // 1. Client and redirect URI: errors here are shown, never redirected (RFC 6749 §4.1.2.1).
        var clientId = p["client_id"];
        if (clientId is null || p.IsRepeated("client_id")) return new AuthorizeShownError("error.client");
        var (client, problem) = await clients.FindAsync(clientId, null, ct);
        // Why a metadata document was refused (name resolution, TLS, connection, a private address) goes to the
        // log only: shown on the page it would let anyone probe ports and DNS through us (issue 24 #6).
        if (client is null) return new AuthorizeShownError(problem is null ? "error.client" : "error.client.document");

        if (p.IsRepeated("redirect_uri")) return new AuthorizeShownError("error.redirect");
        // For a metadata-document client these come from its document (MCP 2025-11-25), never from the request.
        var registered = client.RedirectUris;
        var presented = p["redirect_uri"];
        string redirectUri;
        if (presented is null)
        {
            // RFC 6749 §3.1.2.3: may be omitted only when exactly one is registered.
            if (registered.Count != 1) return new AuthorizeShownError("error.redirect");
            redirectUri = registered[0];
        }
        else if (RedirectUris.Matches(registered, presented))
        {
            redirectUri = presented;
        }
        else
        {
            return new AuthorizeShownError("error.redirect");
        }

        // 2. Everything else goes back to the client, with state and iss.
        var state = p["state"];
        AuthorizeRedirectError Fail(string error, string description) => new(redirectUri, error, description, state);

        if (p.FirstRepeated() is { } repeated) return Fail("invalid_request", $"The {repeated} parameter is repeated.");
        if (state is not null && state.Length > MaxStateLength) return Fail("invalid_request", $"state is longer than {MaxStateLength} characters.");

        var responseType = p["response_type"];
        if (responseType is null) return Fail("invalid_request", "response_type is required.");
        if (responseType != "code") return Fail("unsupported_response_type", "Only response_type=code is supported.");

        // PKCE is required for every client, confidential or public (OAuth 2.1 §4.1.1, RFC 9700 §2.1.1),
        // and only S256: "plain" gives no protection once the challenge is seen.
        var challenge = p["code_challenge"];
        var method = p["code_challenge_method"];
        if (challenge is null) return Fail("invalid_request", "code_challenge is required (PKCE with S256).");
        if (method != "S256") return Fail("invalid_request", "code_challenge_method must be S256.");
        if (!Pkce.ChallengePattern().IsMatch(challenge)) return Fail("invalid_request", "code_challenge is not a valid S256 challenge.");

        // RFC 8707: the resource is bound into the grant and becomes the token's audience.
        var resource = p["resource"] ?? OAuthResources.Mcp(baseUrl);
        var resourcePath = OAuthResources.PathOf(baseUrl, resource);
        if (resourcePath is null) return Fail("invalid_target", "resource must be this server's MCP endpoint or its admin API.");
        // RFC 8707 §2: the server decides which resources a client may ask for. A client of no tenant (it registered
        // itself, or names a metadata document) was never reviewed by an administrator: MCP only, never the admin API
        // (issue 24 #14), refused here before anyone signs in.
        if (client.Kind != ClientKind.Consumer && resourcePath != OAuthResources.McpPath)
            return Fail("invalid_target", "This client may only request the MCP resource.");

        var requested = Scopes.Parse(p["scope"]).Where(s => !Scopes.IgnoredOidcScopes.Contains(s)).ToList();
        var allowed = Scopes.AllowedFor(resourcePath);
        var refused = requested.FirstOrDefault(s => !allowed.Contains(s));
        if (refused is not null)
        {
            return Fail("invalid_scope", Scopes.All.Contains(refused)
                ? $"The scope {refused} does not apply to the resource {resource}."
                : $"The scope {refused} is unknown.");
        }
        var scopes = requested.Count == 0 ? Scopes.DefaultFor(resourcePath) : requested;

        if (!client.AuthorizationCodeAllowed) return Fail("unauthorized_client", "This client may not use the authorization code grant.");
        return new ValidAuthorizeRequest(client, redirectUri, presented is not null,
            resource, resourcePath, scopes, challenge, state);
    }
}
