using Fractal.Functions.Admin;
using Fractal.Functions.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Consumers.Api;

/// <summary><c>GET /api/v1/app-authorizations</c>: who authorized which consumer (<c>?cursor=</c>).</summary>
public sealed class AppAuthorizationsApiFunction(AdminAccess access, AppAuthorizationService authorizations)
{
    [Function("AppAuthorizationsApi")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/app-authorizations")] HttpRequest request) =>
        await ApiGuard.RunAsync(request, async () =>
        {
            var (admin, refusal) = await access.ForApiAsync(request, AdminApiRoutes.AppAuthorizations);
            if (admin is null) return refusal!;
            var (items, next) = await authorizations.ListAsync(admin.Tenant, request.Query["cursor"], request.HttpContext.RequestAborted);
            return Results.Json(new
            {
                items = items.Select(a => new
                {
                    id = a.Id, user_id = a.UserId, user_email = a.UserEmail, client_id = a.ClientId, consumer_name = a.ConsumerName,
                    scope = a.Scopes, active_connections = a.ActiveConnections, created_at = a.CreatedAt, last_used_at = a.LastUsedAt,
                }),
                next_cursor = next,
            });
        });
}

/// <summary><c>DELETE /api/v1/app-authorizations/{id}</c>: revokes one authorization (refresh tokens at once, access tokens within the bound).</summary>
public sealed class AppAuthorizationApiFunction(AdminAccess access, AppAuthorizationService authorizations)
{
    [Function("AppAuthorizationApi")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/app-authorizations/{id}")] HttpRequest request, string id) =>
        await ApiGuard.RunAsync(request, async () =>
        {
            var (admin, refusal) = await access.ForApiAsync(request, AdminApiRoutes.AppAuthorization);
            if (admin is null) return refusal!;
            return await authorizations.RevokeAsync(admin.Tenant, admin.UserId, id, request.HttpContext.RequestAborted)
                ? Results.NoContent()
                : ProblemResult.NotFound("app authorization");
        });
}
