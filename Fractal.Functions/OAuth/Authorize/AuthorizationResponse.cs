using Microsoft.AspNetCore.WebUtilities;

namespace Fractal.Functions.OAuth.Authorize;

/// <summary>
/// Builds redirects back to the client. Every response, success or error, carries <c>iss</c> (RFC 9207:
/// we advertise authorization_response_iss_parameter_supported, and a client such as ChatGPT then rejects
/// a response without it) and echoes <c>state</c> when the request had one.
/// </summary>
public static class AuthorizationResponse
{
    public static string Success(string redirectUri, string code, string? state, string issuer) =>
        Build(redirectUri, [new("code", code), new("state", state), new("iss", issuer)]);

    public static string Error(string redirectUri, string error, string? description, string? state, string issuer) =>
        Build(redirectUri, [new("error", error), new("error_description", description), new("state", state), new("iss", issuer)]);

    private static string Build(string redirectUri, KeyValuePair<string, string?>[] parameters) =>
        QueryHelpers.AddQueryString(redirectUri, parameters.Where(p => p.Value is not null));
}
