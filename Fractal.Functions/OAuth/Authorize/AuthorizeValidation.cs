using Fractal.Functions.OAuth.Clients;

namespace Fractal.Functions.OAuth.Authorize;

/// <summary>
/// The outcome of validating an authorization request. The two kinds of error are kept apart on purpose
/// (RFC 6749 §4.1.2.1): when the client or its redirect URI cannot be trusted the person sees a page and
/// nothing is redirected (an attacker could otherwise bounce users to any URL); every other error is sent
/// back to the client's redirect URI.
/// </summary>
public abstract record AuthorizeValidation;

/// <summary>The client_id or redirect_uri is wrong: show <see cref="TextKey"/> to the person, never redirect.</summary>
public sealed record AuthorizeShownError(string TextKey) : AuthorizeValidation;

/// <summary>An OAuth error to return to the (trusted) redirect URI.</summary>
public sealed record AuthorizeRedirectError(string RedirectUri, string Error, string Description, string? State) : AuthorizeValidation;

/// <summary>A valid request.</summary>
public sealed record ValidAuthorizeRequest(
    OAuthClient Client,
    string RedirectUri,
    bool RedirectUriSent,
    string Resource,
    string ResourcePath,
    IReadOnlyList<string> Scopes,
    string CodeChallenge,
    string? State) : AuthorizeValidation;
