using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Hosting.Health;

/// <summary><c>GET /health</c>: 200 when Table Storage and the secret store answer, 503 (same JSON) when either does not.</summary>
public sealed class HealthFunction(HealthProbe probe)
{
    [Function("Health")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        var report = await probe.CheckAsync(request.HttpContext.RequestAborted);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        // RFC 9110 §10.2.3: a 503 says when to look again, as every other endpoint's 503 does.
        if (!report.Healthy) request.HttpContext.Response.Headers.RetryAfter = "5";
        var body = new
        {
            status = report.Healthy ? "healthy" : "unhealthy",
            checks = new
            {
                tableStorage = Describe(report.TableStorage),
                secretStore = Describe(report.SecretStore),
            },
        };
        return Results.Json(body, statusCode: report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static object Describe(Secrets.DependencyHealth health) =>
        new { status = health.Healthy ? "healthy" : "unhealthy", detail = health.Detail };
}
