using System.Text.Encodings.Web;

namespace Fractal.Functions.Web;

/// <summary>HTML encoding for every value put into a page: nothing from a request or a row reaches a page unencoded.</summary>
public static class Html
{
    // Letters of every script stay readable ("sesión", not "sesi&#xF3;n"); markup characters are always encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static string E(string? value) => Encoder.Encode(value ?? "");

    public static string Hidden(string name, string? value) =>
        $"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value)}\">";
}
