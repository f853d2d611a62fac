using Fractal.Functions.Admin;
using Fractal.Functions.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Consumers.Api;

/// <summary><c>POST /api/v1/consumers/{id}/rotate-secret</c>: a new secret (returned once); the old one is refused at once.</summary>
public sealed class RotateConsumerSecretApiFunction(AdminAccess access, ConsumerService service)
{
    [Function("RotateConsumerSecretApi")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/consumers/{id}/rotate-secret")] HttpRequest request, string id) =>
        await ApiGuard.RunAsync(request, async () =>
        {
            var (admin, refusal) = await access.ForApiAsync(request, AdminApiRoutes.RotateConsumerSecret);
            if (admin is null) return refusal!;
            var secret = await service.RotateSecretAsync(admin, id, request.HttpContext.RequestAborted);
            if (secret is null) return ProblemResult.NotFound("confidential consumer");
            request.HttpContext.Response.Headers.CacheControl = "no-store";
            return Results.Json(new { client_id = id, client_secret = secret });
        });
}
