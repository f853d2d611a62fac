using Fractal.Functions.Admin;
using Fractal.Functions.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Consumers.Api;

/// <summary><c>/api/v1/consumers/{id}</c>: GET one, PUT replaces its editable fields, DELETE removes it with its grants, tokens and secret.</summary>
public sealed class ConsumerApiFunction(AdminAccess access, ConsumerService service, ConsumerStore consumers)
{
    [Function("ConsumerApi")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "put", "delete", Route = "api/v1/consumers/{id}")] HttpRequest request, string id) =>
        await ApiGuard.RunAsync(request, async () =>
        {
            var (admin, refusal) = await access.ForApiAsync(request, AdminApiRoutes.Consumer);
            if (admin is null) return refusal!;
            var ct = request.HttpContext.RequestAborted;
            if (HttpMethods.IsGet(request.Method))
            {
                var consumer = await consumers.FindAsync(admin.Tenant, id, ct);
                return consumer is null ? ProblemResult.NotFound("consumer") : Results.Json(ConsumerJson.From(consumer));
            }
            if (HttpMethods.IsDelete(request.Method))
                return await service.DeleteAsync(admin, id, ct) ? Results.NoContent() : ProblemResult.NotFound("consumer");

            var body = await ConsumerBody.ReadAsync(request, ct);
            if (body is null) return new ProblemResult(StatusCodes.Status400BadRequest, "Invalid body", "Send a JSON object (Content-Type: application/json).");
            var change = await service.UpdateAsync(admin, id, body.ToDraft(), ct);
            if (change is null) return ProblemResult.NotFound("consumer");
            if (change.Errors.ContainsKey("")) return ProblemResult.Conflict("The consumer changed meanwhile; read it again and retry.");
            if (!change.Succeeded) return ProblemResult.Validation(ConsumerBody.English(change.Errors));
            return Results.Json(ConsumerJson.From(change.Created!.Consumer));
        });
}
