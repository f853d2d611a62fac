namespace Fractal.Functions.Web;

/// <summary>A readable error page for people (never a stack trace or a raw protocol error).</summary>
public static class ErrorPage
{
    public static PageResult Create(int status, Texts t, string message, string? backUrl = null, string? backLabel = null) =>
        new(status, nonce => PageLayout.Render(t.Language, t["error.title"], nonce, $"""
            <h1>{Html.E(t["error.title"])}</h1>
            <p class="error" role="alert">{Html.E(message)}</p>
            {(backUrl is null ? "" : $"<p><a href=\"{Html.E(backUrl)}\">{Html.E(backLabel ?? t["error.back"])}</a></p>")}
            """));
}
