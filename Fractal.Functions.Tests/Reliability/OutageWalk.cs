using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Fractal.Functions.Hosting.Standalone;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Reliability;

/// <summary>
/// Sends one request to every method of every function in the reflected route map (the standalone host's only list
/// of routes, which another test matches against functions.metadata), carrying what each needs to reach its
/// storage work: a signed-in session cookie, a CSRF token, bearer tokens for /mcp and /api, and plausible bodies.
/// </summary>
public sealed partial class OutageWalk : IDisposable
{
    public static readonly IReadOnlyList<HttpFunction> Functions =
        HttpFunctionCatalog.Discover(typeof(StandaloneHost).Assembly, StandaloneHost.RoutePrefix);

    private readonly TestApp _app;
    private readonly BrowserlessSession _browser;
    private readonly string _csrf;
    private readonly string _mcpToken;
    private readonly string _apiToken;
    private readonly string _refreshToken;
    private readonly TestTenant _tenant;

    private OutageWalk(TestApp app, TestTenant tenant, BrowserlessSession browser, string csrf, string mcpToken, string apiToken, string refreshToken)
    {
        (_app, _tenant, _browser, _csrf, _mcpToken, _apiToken, _refreshToken) = (app, tenant, browser, csrf, mcpToken, apiToken, refreshToken);
    }

    /// <summary>Signs the tenant's administrator in and obtains tokens while everything is still up.</summary>
    public static async Task<OutageWalk> PrepareAsync(TestApp app, TestTenant tenant)
    {
        var requests = new OAuthRequests(app);
        var mcp = await OAuthFlow.TokensAsync(app, tenant, tenant.Admin);
        var api = await OAuthFlow.TokensAsync(app, tenant, tenant.Admin, p => { p["resource"] = requests.ApiResource; p["scope"] = "api_connections user_administration audit_read"; });
        var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Admin);
        var page = await browser.Http.GetStringAsync("/settings/users");
        var csrf = BrowserlessSession.HiddenFields(page).GetValueOrDefault("csrf") ?? "";
        return new OutageWalk(app, tenant, browser, csrf, mcp["access_token"]!.GetValue<string>(), api["access_token"]!.GetValue<string>(),
            mcp["refresh_token"]!.GetValue<string>());
    }

    public sealed record Answer(string Request, HttpStatusCode Status, string? ContentType, string? RetryAfter, string Body, TimeSpan Elapsed);

    public async Task<IReadOnlyList<Answer>> WalkAsync()
    {
        var answers = new List<Answer>();
        foreach (var function in Functions)
        {
            foreach (var method in function.HttpMethods.Where(m => m != "OPTIONS"))
            {
                using var request = Build(function, method);
                var description = $"{method} {request.RequestUri} ({function.Name})";
                var started = DateTime.UtcNow;
                using var response = await _browser.Http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                answers.Add(new Answer(description, response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                    response.Headers.RetryAfter?.ToString(), body, DateTime.UtcNow - started));
            }
        }
        return answers;
    }

    private HttpRequestMessage Build(HttpFunction function, string method)
    {
        var path = "/" + RouteParameter().Replace(function.Route, m => m.Groups[1].Value switch
        {
            "id" => _tenant.ClientId,
            "kind" => "wo",
            _ => "x",
        });
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (path.StartsWith("/mcp", StringComparison.Ordinal))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _mcpToken);
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            if (method == "POST")
                request.Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_work_orders","arguments":{}}}""", Encoding.UTF8, "application/json");
        }
        else if (path.StartsWith("/api", StringComparison.Ordinal))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiToken);
            if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }
        else if (path == "/oauth/register" && method == "POST")
        {
            // A valid RFC 7591 registration, so the request reaches the GlobalClients write.
            request.Content = new StringContent("""{"client_name":"Outage","redirect_uris":["https://claude.ai/api/mcp/auth_callback"],"token_endpoint_auth_method":"client_secret_post"}""",
                Encoding.UTF8, "application/json");
        }
        else if (path == "/oauth/token" && method == "POST")
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token", ["refresh_token"] = _refreshToken, ["client_id"] = _tenant.ClientId, ["client_secret"] = _tenant.ClientSecret,
            });
        }
        else if (path == "/oauth/revoke")
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["token"] = _refreshToken, ["client_id"] = _tenant.ClientId, ["client_secret"] = _tenant.ClientSecret,
            });
        }
        else if (path == "/oauth/authorize")
        {
            var parameters = new OAuthRequests(_app).Parameters(_tenant.ClientId, TestTenant.ClientCallback);
            if (method == "GET") request.RequestUri = new Uri(OAuthRequests.AuthorizeUrl(parameters), UriKind.Relative);
            else
            {
                var form = parameters.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!);
                form["csrf"] = _csrf;
                form["decision"] = "approve";
                request.Content = new FormUrlEncodedContent(form);
            }
        }
        else if (path == "/account/sign-in" && method == "POST")
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = _tenant.Viewer.Email, ["password"] = _tenant.Viewer.Password, ["csrf"] = _csrf,
            });
        }
        else if (method == "POST")
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["csrf"] = _csrf, ["clientId"] = _tenant.ClientId, ["client_id"] = _tenant.ClientId, ["userId"] = _tenant.Viewer.UserId,
                ["enabled"] = "true", ["name"] = "x",
            });
        }
        return request;
    }

    public void Dispose() => _browser.Dispose();

    [GeneratedRegex(@"\{\*?([^}:?=]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
