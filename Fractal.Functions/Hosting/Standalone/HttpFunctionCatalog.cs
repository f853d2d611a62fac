using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Hosting.Standalone;

/// <summary>One HTTP-triggered function as the Functions host would serve it.</summary>
public sealed record HttpFunction(string Name, MethodInfo Method, ParameterInfo Trigger, string Route, IReadOnlyList<string> HttpMethods);

/// <summary>
/// Finds every <c>[Function]</c> with an <c>[HttpTrigger]</c> by reflection: the route is host.json's
/// route prefix plus the trigger's Route, the methods are the trigger's. This is the only list of routes;
/// the standalone host maps exactly these, and a test checks them against the build's functions.metadata.
/// </summary>
public static class HttpFunctionCatalog
{
    public static IReadOnlyList<HttpFunction> Discover(Assembly assembly, string routePrefix)
    {
        var functions = new List<HttpFunction>();
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                var function = method.GetCustomAttribute<FunctionAttribute>();
                if (function is null) continue;
                var trigger = method.GetParameters().FirstOrDefault(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null);
                if (trigger is null) continue;
                var attribute = trigger.GetCustomAttribute<HttpTriggerAttribute>()!;
                var route = JoinRoute(routePrefix, attribute.Route ?? function.Name);
                var methods = (attribute.Methods ?? ["get", "post", "put", "delete", "patch", "head", "options"])
                    .Select(m => m.ToUpperInvariant()).ToArray();
                functions.Add(new HttpFunction(function.Name, method, trigger, route, methods));
            }
        }
        return functions.OrderBy(f => f.Route, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>host.json's <c>extensions.http.routePrefix</c>; the Functions default is "api".</summary>
    public static string ReadRoutePrefix(string hostJsonPath)
    {
        if (!File.Exists(hostJsonPath)) return "api";
        var root = JsonNode.Parse(File.ReadAllText(hostJsonPath));
        return root?["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api";
    }

    private static string JoinRoute(string prefix, string route)
    {
        prefix = prefix.Trim('/');
        route = route.Trim('/');
        return prefix.Length == 0 ? route : route.Length == 0 ? prefix : $"{prefix}/{route}";
    }
}
