using System.Net;
using System.Text.Json.Nodes;
using Fractal.Functions.Hosting.Standalone;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Hosting;

public sealed class RouteMapTests
{
    private static readonly IReadOnlyList<HttpFunction> Functions =
        HttpFunctionCatalog.Discover(typeof(StandaloneHost).Assembly, StandaloneHost.RoutePrefix);

    [Fact]
    public void The_route_prefix_comes_from_host_json_and_is_empty()
    {
        Assert.Equal("", StandaloneHost.RoutePrefix);
    }

    [Fact]
    public void The_standalone_route_map_equals_the_functions_metadata_the_real_host_serves()
    {
        var metadataPath = Path.Combine(RepoPaths.FunctionsOutput, "functions.metadata");
        Assert.True(File.Exists(metadataPath), $"functions.metadata not found at {metadataPath}");
        var fromMetadata = JsonNode.Parse(File.ReadAllText(metadataPath))!.AsArray()
            .Select(f => (Function: f!["name"]!.GetValue<string>(), Trigger: f["bindings"]!.AsArray().FirstOrDefault(b => b!["type"]!.GetValue<string>() == "httpTrigger")))
            .Where(f => f.Trigger is not null)
            .Select(f => Describe(f.Function, f.Trigger!["route"]!.GetValue<string>(), f.Trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>())))
            .Order(StringComparer.Ordinal).ToList();
        var fromReflection = Functions.Select(f => Describe(f.Name, f.Route, f.HttpMethods)).Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(fromReflection);
        Assert.Equal(fromMetadata, fromReflection);
    }

    [Fact]
    public void No_route_starts_with_a_prefix_the_functions_host_reserves()
    {
        Assert.All(Functions, f =>
        {
            Assert.False(f.Route.StartsWith("admin", StringComparison.OrdinalIgnoreCase), f.Route);
            Assert.False(f.Route.StartsWith("runtime", StringComparison.OrdinalIgnoreCase), f.Route);
        });
    }

    [Fact]
    public async Task Every_function_answers_at_its_route_for_its_methods_and_404_for_a_method_it_does_not_declare_as_the_functions_host_does()
    {
        var app = await TestApp.Shared;
        foreach (var function in Functions)
        {
            var path = "/" + FillRouteParameters(function.Route);
            foreach (var method in function.HttpMethods)
            {
                using var response = await app.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
                Assert.True(response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed) || await IsFunctionOwnAnswer(response),
                    $"{method} {path} ({function.Name}) answered {(int)response.StatusCode}");
            }
            // The Functions host matches method and path together: an undeclared method (HEAD and OPTIONS included) is 404.
            foreach (var other in new[] { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" }.Where(m => !function.HttpMethods.Contains(m)))
            {
                using var refused = await app.Http.SendAsync(new HttpRequestMessage(new HttpMethod(other), path));
                Assert.True(refused.StatusCode == HttpStatusCode.NotFound, $"{other} {path} ({function.Name}) answered {(int)refused.StatusCode}, expected 404");
            }
        }
    }

    [Fact]
    public async Task An_unknown_path_is_404()
    {
        var app = await TestApp.Shared;
        using var response = await app.Http.GetAsync("/no/such/endpoint");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static string Describe(string name, string route, IEnumerable<string> methods) =>
        $"{name} {route} [{string.Join(",", methods.Select(m => m.ToUpperInvariant()).Order(StringComparer.Ordinal))}]";

    private static string FillRouteParameters(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route, @"\{\*?([^}:?=]+)[^}]*\}", "x");

    // A function may itself answer 404 (an unknown id) or 405 (its own method rule, e.g. MCP GET): such
    // answers carry a body from the function, unlike the router's empty ones.
    private static async Task<bool> IsFunctionOwnAnswer(HttpResponseMessage response) =>
        (await response.Content.ReadAsStringAsync()).Length > 0;
}
