using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Fractal.Functions.Mcp;

/// <summary>
/// <c>POST /mcp/oauth/fractal-one</c>: MCP Streamable HTTP, stateless (one server per request). The bearer
/// token is checked here; the official SDK handles the protocol. GET and DELETE answer 405 (no sessions,
/// no server-initiated stream).
/// </summary>
public sealed class McpFunction(McpAuthenticator authenticator, SdkMcpEndpoint sdk, Hosting.RateLimiting.RequestRateLimits limits,
    Hosting.PublicUrls urls, McpOriginPolicy origins, ILogger<McpFunction> log)
{
    [Function("Mcp")]
    public async Task Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "delete", Route = "mcp/oauth/fractal-one")] HttpRequest request)
    {
        var context = request.HttpContext;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = HttpMethods.Post;
            await context.Response.WriteAsJsonAsync(new
            {
                jsonrpc = "2.0", id = (string?)null,
                error = new { code = -32000, message = "Method Not Allowed: this stateless server accepts POST only." },
            });
            return;
        }

        if (!origins.Allows(request))
        {
            await McpOriginPolicy.Forbidden.ExecuteAsync(context);
            return;
        }
        var (caller, principal, refusal) = await authenticator.AuthenticatePrincipalAsync(request, context.RequestAborted);
        if (caller is null || principal is null)
        {
            await refusal!.ExecuteAsync(context);
            return;
        }
        var isToolCall = await ToolCallPeek.IsToolCallAsync(request);
        if (isToolCall is null)
        {
            await McpBodyLimit.TooLarge.ExecuteAsync(context);
            return;
        }
        if (isToolCall.Value && limits.Refuse(request, Hosting.RateLimiting.RateLimited.ToolCallsPerGrant,
                $"{caller.Tenant.Value}/{caller.UserId}/{caller.ClientId}") is { } limited)
        {
            // Refused before the SDK starts its event stream, so the status can still say 429 with Retry-After.
            await limited.ExecuteAsync(context);
            return;
        }
        context.User = principal;
        // The SDK's per-request server serves handlers from the request's services: what they need travels there.
        McpRequest.Of(context.RequestServices).Capture(request, urls);
        // Every log line written while serving this call (tools, stores) carries who is acting.
        using var scope = log.BeginScope(new Dictionary<string, object>
        {
            ["TenantId"] = caller.Tenant.Value, ["ClientId"] = caller.ClientId, ["UserId"] = caller.UserId,
        });
        await sdk.HandlePostAsync(context);
    }
}
