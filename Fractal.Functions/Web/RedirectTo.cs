using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Web;

/// <summary>
/// A redirect that is never cached (it may carry a code or an error). <see cref="Found"/> after a GET;
/// <see cref="SeeOther"/> after a form post, so the browser continues with a GET (RFC 9110 §15.4.4).
/// </summary>
public sealed class RedirectTo(int status, string location) : IResult
{
    public int Status => status;
    public string Location => location;

    public static RedirectTo Found(string location) => new(StatusCodes.Status302Found, location);
    public static RedirectTo SeeOther(string location) => new(StatusCodes.Status303SeeOther, location);

    public Task ExecuteAsync(HttpContext context)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        context.Response.Headers.CacheControl = "no-store";
        return Task.CompletedTask;
    }
}
