using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.OAuth.Token;

/// <summary>
/// The token request's form (RFC 6749 §3.2: application/x-www-form-urlencoded). Parameters must not be
/// repeated; an empty value counts as omitted.
/// </summary>
public sealed class TokenForm(IFormCollection form)
{
    public string? this[string name] => form.TryGetValue(name, out var v) && v.Count == 1 && !string.IsNullOrEmpty(v[0]) ? v[0] : null;

    public string? FirstRepeated() => form.Where(p => p.Value.Count > 1).Select(p => p.Key).FirstOrDefault();

    public static async Task<(TokenForm? Form, OAuthError? Error)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            return (null, OAuthError.InvalidRequest("The body must be application/x-www-form-urlencoded."));
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            return (null, OAuthError.InvalidRequest("The form body could not be read."));
        }
        var parsed = new TokenForm(form);
        return parsed.FirstRepeated() is { } repeated
            ? (null, OAuthError.InvalidRequest($"The {repeated} parameter is repeated."))
            : (parsed, null);
    }
}
