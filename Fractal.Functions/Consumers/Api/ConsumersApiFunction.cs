using Fractal.Functions.Admin;
using Fractal.Functions.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Consumers.Api;

/// <summary><c>/api/v1/consumers</c>: GET lists (<c>?search=&amp;cursor=</c>); POST creates (201 with the key and, once, the secret).</summary>
public sealed class ConsumersApiFunction(AdminAccess access, ConsumerService service, ConsumerStore consumers)
{
    [Function("ConsumersApi")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/v1/consumers")] HttpRequest request) =>
        await ApiGuard.RunAsync(request, async () =>
        {
            var (admin, refusal) = await access.ForApiAsync(request, AdminApiRoutes.Consumers);
            if (admin is null) return refusal!;
            var ct = request.HttpContext.RequestAborted;
            if (HttpMethods.IsGet(request.Method))
            {
                var search = request.Query["search"].ToString();
                var page = await consumers.ListAsync(admin.Tenant, search, 25, request.Query["cursor"], ct);
                var items = page.Items.Select(c => new
                {
                    client_id = c.ClientId, name = c.Name, client_type = c.ClientType, secret_prefix = c.SecretPrefix, created_at = c.CreatedAt,
                    // consumer: created by this tenant's admin; dynamic / metadata_document: a client of no tenant one of its people authorized.
                    kind = c.Kind ?? "consumer",
                });
                return Results.Json(new { items, next_cursor = page.NextCursor, total = string.IsNullOrWhiteSpace(search) ? await consumers.CountAsync(admin.Tenant, ct) : (int?)null });
            }

            var body = await ConsumerBody.ReadAsync(request, ct);
            if (body is null) return new ProblemResult(StatusCodes.Status400BadRequest, "Invalid body", "Send a JSON object (Content-Type: application/json).");
            var change = await service.CreateAsync(admin, body.ToDraft(), ct);
            if (!change.Succeeded) return ProblemResult.Validation(ConsumerBody.English(change.Errors));
            var created = change.Created!;
            request.HttpContext.Response.Headers.CacheControl = "no-store";
            return new CreatedAt($"/api/v1/consumers/{Uri.EscapeDataString(created.Consumer.ClientId)}",
                Results.Json(ConsumerJson.From(created.Consumer, created.Secret), statusCode: StatusCodes.Status201Created));
        });
}

/// <summary>Adds a Location header to a result.</summary>
internal sealed class CreatedAt(string location, IResult inner) : IResult
{
    public Task ExecuteAsync(HttpContext context)
    {
        context.Response.Headers.Location = location;
        return inner.ExecuteAsync(context);
    }
}
