using System.Net;
using System.Net.Http.Headers;
using Fractal.Functions.Admin;
using Fractal.Functions.Hosting.Standalone;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.OAuth;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Admin;

/// <summary>
/// Walks every <c>/api/v1</c> function of the route map against the one declared table (AdminApiRoutes):
/// a route without an entry, a token with another admin scope that gets through, or a session without the
/// route's permission that gets through, fails here (issue 24 #1).
/// </summary>
public sealed class AdminApiRouteTests
{
    private static readonly IReadOnlyList<HttpFunction> ApiFunctions =
        HttpFunctionCatalog.Discover(typeof(StandaloneHost).Assembly, StandaloneHost.RoutePrefix)
            .Where(f => f.Route.StartsWith("api/v1/", StringComparison.Ordinal) || f.Route == "api/v1")
            .ToList();

    private static IEnumerable<(HttpFunction Function, AdminApiRoute Route, string Method, string Path)> Calls() =>
        from f in ApiFunctions
        from method in f.HttpMethods.Where(m => m != "OPTIONS")
        select (f, AdminApiRoutes.For(f.Route)!, method, "/" + System.Text.RegularExpressions.Regex.Replace(f.Route, @"\{[^}]+\}", "x"));

    [Fact]
    public void Every_api_v1_route_of_the_route_map_has_exactly_one_entry_in_the_scope_table_and_every_entry_is_a_route()
    {
        Assert.NotEmpty(ApiFunctions);
        Assert.All(ApiFunctions, f => Assert.True(AdminApiRoutes.For(f.Route) is not null,
            $"{f.Name} ({f.Route}) has no entry in AdminApiRoutes: declare the scope and permission it needs."));
        Assert.Equal(AdminApiRoutes.All.Count, AdminApiRoutes.All.Select(r => r.Route).Distinct().Count());
        Assert.All(AdminApiRoutes.All, r => Assert.Contains(ApiFunctions, f => f.Route == r.Route));
        Assert.All(AdminApiRoutes.All, r => Assert.Contains(r.Scope, Scopes.AllowedFor(OAuthResources.ApiPath)));
    }

    [Fact]
    public async Task Every_api_v1_route_refuses_a_token_carrying_any_other_scope_as_insufficient_scope_naming_its_own()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var requests = new OAuthRequests(app);
        var tokens = new Dictionary<string, string>();
        foreach (var scope in Scopes.AllowedFor(OAuthResources.ApiPath))
        {
            var issued = await OAuthFlow.TokensAsync(app, tenant, tenant.Admin, p => { p["resource"] = requests.ApiResource; p["scope"] = scope; });
            tokens[scope] = issued["access_token"]!.GetValue<string>();
        }

        foreach (var (function, route, method, path) in Calls())
        {
            foreach (var (scope, token) in tokens)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await app.Http.SendAsync(request);
                var what = $"{method} {path} ({function.Name}) with a token of scope {scope}";
                if (scope == route.Scope)
                {
                    Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{what} answered {(int)response.StatusCode}");
                    continue;
                }
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{what} answered {(int)response.StatusCode}, expected 403");
                var challenge = response.Headers.WwwAuthenticate.Single().ToString();
                Assert.Contains("error=\"insufficient_scope\"", challenge);
                Assert.Contains($"scope=\"{route.Scope}\"", challenge);
            }
        }
    }

    [Fact]
    public async Task Every_api_v1_route_refuses_a_session_whose_role_lacks_its_permission_and_serves_one_that_holds_it()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var adminSession = await SessionAsync(app, tenant.Admin);
        var withoutPermission = new Dictionary<string, (BrowserlessSession Browser, string Csrf)>();
        foreach (var permission in AdminApiRoutes.All.Select(r => r.Permission).Distinct())
            withoutPermission[permission] = await SessionAsync(app, await UserWithAllPermissionsButAsync(app, tenant, permission));

        foreach (var (function, route, method, path) in Calls())
        {
            var (refused, refusal) = await SendAsync(withoutPermission[route.Permission], method, path);
            Assert.True(refused == HttpStatusCode.Forbidden, $"{method} {path} ({function.Name}) without {route.Permission} answered {(int)refused}, expected 403");
            Assert.Contains(route.Permission, refusal);
            var (served, _) = await SendAsync(adminSession, method, path);
            Assert.True(served is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{method} {path} ({function.Name}) for an administrator answered {(int)served}");
        }
    }

    /// <summary>A user whose (tenant-defined) role holds every permission except <paramref name="missing"/>.</summary>
    private static async Task<TestUser> UserWithAllPermissionsButAsync(TestApp app, TestTenant tenant, string missing)
    {
        var roleId = "all-but-" + missing.Replace('.', '-').Replace('_', '-');
        await app.Services.GetRequiredService<TableStore>().UpsertAsync(TableNames.Tenants, new RoleEntity
        {
            PartitionKey = tenant.Id.Value, RowKey = RoleEntity.RowKeyPrefix + roleId, Name = roleId,
            Permissions = string.Join(' ', Permissions.All.Where(p => p != missing)),
        });
        var email = $"{roleId}-{Guid.NewGuid():N}@test.example";
        var password = "Pw-" + Guid.NewGuid().ToString("N");
        var (_, user) = await app.Services.GetRequiredService<UserStore>().CreateAsync(tenant.Id, email, "Almost admin", roleId, password);
        return new TestUser(user!.UserId, email, password, roleId);
    }

    private static async Task<(BrowserlessSession Browser, string Csrf)> SessionAsync(TestApp app, TestUser user)
    {
        var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(user);
        var page = await browser.Http.GetStringAsync("/account/change-password");
        return (browser, BrowserlessSession.HiddenFields(page)["csrf"]);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync((BrowserlessSession Browser, string Csrf) session, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-CSRF-Token", session.Csrf);
        using var response = await session.Browser.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
