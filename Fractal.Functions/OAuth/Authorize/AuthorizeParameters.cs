using Microsoft.Extensions.Primitives;

namespace Fractal.Functions.OAuth.Authorize;

/// <summary>
/// The authorization request's parameters (RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 8707 §2), from the query
/// (GET) or from the consent form (POST). Unknown parameters (and <c>id_token_hint</c>) are tolerated and
/// not carried further.
/// </summary>
public sealed class AuthorizeParameters
{
    public static readonly string[] Names =
        ["response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method", "resource"];

    private readonly Dictionary<string, StringValues> _values;

    public AuthorizeParameters(IEnumerable<KeyValuePair<string, StringValues>> source) =>
        _values = source.Where(p => Names.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    public string? this[string name] => _values.TryGetValue(name, out var v) && v.Count == 1 ? v[0] : null;

    public bool Has(string name) => _values.TryGetValue(name, out var v) && v.Count > 0;

    /// <summary>RFC 6749 §3.1: parameters must not be included more than once.</summary>
    public bool IsRepeated(string name) => _values.TryGetValue(name, out var v) && v.Count > 1;

    public string? FirstRepeated() => Names.FirstOrDefault(IsRepeated);

    /// <summary>The parameters as sent, for the consent form's hidden fields and the return to sign-in.</summary>
    public IEnumerable<KeyValuePair<string, string>> Present() =>
        Names.Where(n => this[n] is not null).Select(n => new KeyValuePair<string, string>(n, this[n]!));

    public string ToQueryString() => Microsoft.AspNetCore.Http.QueryString.Create(Present()!).ToString();
}
