using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Admin;

/// <summary>RFC 9457 problem details (<c>application/problem+json</c>), with per-field errors when validation failed.</summary>
public sealed record ProblemResult(int Status, string Title, string? Detail = null, IReadOnlyDictionary<string, string>? Errors = null) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.StatusCode = Status;
        context.Response.ContentType = "application/problem+json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new Dictionary<string, object?>
        {
            ["type"] = "about:blank",
            ["title"] = Title,
            ["status"] = Status,
        };
        if (Detail is not null) body["detail"] = Detail;
        if (Errors is { Count: > 0 }) body["errors"] = Errors;
        await JsonSerializer.SerializeAsync(context.Response.Body, body);
    }

    public static ProblemResult NotFound(string what) => new(StatusCodes.Status404NotFound, "Not found", $"No {what} with this id.");
    public static ProblemResult Validation(IReadOnlyDictionary<string, string> errors) =>
        new(StatusCodes.Status400BadRequest, "The request is not valid", "See errors for each field.", errors);
    public static ProblemResult Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);
}
