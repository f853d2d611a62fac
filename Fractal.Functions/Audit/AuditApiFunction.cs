using System.Globalization;
using System.Text;
using Fractal.Functions.Admin;
using Fractal.Functions.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Audit;

/// <summary>
/// <c>GET /api/v1/audit</c>: the Transactions log as JSON (<c>?user=&amp;consumer=&amp;tool=&amp;outcome=&amp;from=&amp;to=&amp;cursor=</c>),
/// or as CSV with <c>format=csv</c> (up to 10,000 entries), newest first.
/// </summary>
public sealed class AuditApiFunction(AdminAccess access, AuditQuery log, AuditFilterReader filters)
{
    [Function("AuditApi")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/audit")] HttpRequest request) =>
        await ApiGuard.RunAsync(request, async () =>
        {
            var (admin, refusal) = await access.ForApiAsync(request, AdminApiRoutes.Audit);
            if (admin is null) return refusal!;
            var ct = request.HttpContext.RequestAborted;
            var (filter, problem) = await filters.ReadAsync(admin.Tenant, request.Query, ct);
            if (filter is null) return new ProblemResult(StatusCodes.Status400BadRequest, "Invalid filter", problem);

            if (request.Query["format"] == "csv") return await AuditCsv.ExportAsync(request, log, admin.Tenant, filter, ct);

            var page = await log.ReadAsync(admin.Tenant, filter, 50, request.Query["cursor"], ct);
            return Results.Json(new
            {
                items = page.Items.Select(e => new
                {
                    at = e.At, @event = e.Event, tool = e.Tool, outcome = e.Outcome, user_id = e.UserId, client_id = e.ClientId, duration_ms = e.DurationMs, detail = e.Detail,
                }),
                next_cursor = page.NextCursor,
            });
        });
}
