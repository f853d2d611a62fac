using System.Text.Json;
using System.Text.Json.Serialization;
using Fractal.Functions.Admin;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Identity.UserAdmin;

internal sealed record UserBody(
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("enabled")] bool? Enabled,
    [property: JsonPropertyName("password")] string? Password)
{
    public static async Task<UserBody?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true) return null;
        try { return await JsonSerializer.DeserializeAsync<UserBody>(request.Body, cancellationToken: ct); }
        catch (JsonException) { return null; }
    }
}

internal static class UserJson
{
    public static object From(UserEntity u, string? temporaryPassword = null) => new Dictionary<string, object?>
    {
        ["id"] = u.UserId, ["email"] = u.Email, ["display_name"] = u.DisplayName, ["role"] = u.RoleId, ["enabled"] = u.Enabled,
        ["must_change_password"] = u.MustChangePassword, ["created_at"] = u.CreatedAt,
        ["temporary_password"] = temporaryPassword,
    }.Where(p => p.Value is not null).ToDictionary();

    public static IReadOnlyDictionary<string, string> English(IReadOnlyDictionary<string, string> errors)
    {
        var t = Texts.For("en");
        return errors.ToDictionary(e => e.Key, e => t[e.Value]);
    }

    public static ProblemResult InvalidBody() => new(StatusCodes.Status400BadRequest, "Invalid body", "Send a JSON object (Content-Type: application/json).");
}

/// <summary><c>/api/v1/users</c>: GET lists (<c>?search=&amp;cursor=</c>), POST creates (a temporary password is returned once when none is given).</summary>
public sealed class UsersApiFunction(AdminAccess access, UserStore users, UserAdminService admin)
{
    [Function("UsersApi")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/v1/users")] HttpRequest request) =>
        await ApiGuard.RunAsync(request, async () =>
        {
            var (caller, refusal) = await access.ForApiAsync(request, AdminApiRoutes.Users);
            if (caller is null) return refusal!;
            var ct = request.HttpContext.RequestAborted;
            if (HttpMethods.IsGet(request.Method))
            {
                var page = await users.ListAsync(caller.Tenant, request.Query["search"], 25, request.Query["cursor"], ct);
                return Results.Json(new
                {
                    items = page.Items.Select(u => new { id = u.UserId, email = u.Email, display_name = u.DisplayName, role = u.RoleId, enabled = u.Enabled, created_at = u.CreatedAt }),
                    next_cursor = page.NextCursor,
                });
            }
            var body = await UserBody.ReadAsync(request, ct);
            if (body is null) return UserJson.InvalidBody();
            var change = await admin.CreateAsync(caller, body.Email ?? "", body.DisplayName ?? "", body.Role ?? "", body.Password, ct);
            if (!change.Succeeded) return change.Errors.ContainsKey("email") && change.Errors["email"] == "user.email.taken"
                ? ProblemResult.Conflict("That email already belongs to one of this account's people.")
                : ProblemResult.Validation(UserJson.English(change.Errors));
            request.HttpContext.Response.Headers.CacheControl = "no-store";
            return Results.Json(UserJson.From(change.User!, change.TemporaryPassword), statusCode: StatusCodes.Status201Created);
        });
}

/// <summary><c>/api/v1/users/{id}</c>: GET one, PATCH role and/or enabled, DELETE.</summary>
public sealed class UserApiFunction(AdminAccess access, UserStore users, UserAdminService admin)
{
    [Function("UserApi")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "patch", "delete", Route = "api/v1/users/{id}")] HttpRequest request, string id) =>
        await ApiGuard.RunAsync(request, async () =>
        {
            var (caller, refusal) = await access.ForApiAsync(request, AdminApiRoutes.User);
            if (caller is null) return refusal!;
            var ct = request.HttpContext.RequestAborted;
            if (HttpMethods.IsGet(request.Method))
            {
                var user = await users.FindAsync(caller.Tenant, id, ct);
                return user is null ? ProblemResult.NotFound("user") : Results.Json(UserJson.From(user));
            }
            if (HttpMethods.IsDelete(request.Method))
                return await admin.DeleteAsync(caller, id, ct) ? Results.NoContent() : ProblemResult.NotFound("user (or it is you)");

            var body = await UserBody.ReadAsync(request, ct);
            if (body is null) return UserJson.InvalidBody();
            var change = await admin.UpdateAsync(caller, id, body.Role, body.Enabled, ct);
            if (change is null) return ProblemResult.NotFound("user");
            return change.Succeeded ? Results.Json(UserJson.From(change.User!)) : ProblemResult.Validation(UserJson.English(change.Errors));
        });
}
