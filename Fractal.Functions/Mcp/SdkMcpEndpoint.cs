using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fractal.Functions.Mcp;

/// <summary>
/// The official SDK's Streamable HTTP POST handler (what <c>MapMcp</c> maps, configured stateless), taken
/// once from a private route builder and invoked by our function. So the SDK does all the JSON-RPC and
/// transport work (Accept checks, protocol-version header, batches, notifications → 202, SSE framing)
/// and the function only adds what the worker cannot: authentication.
/// </summary>
public sealed class SdkMcpEndpoint(IServiceProvider services)
{
    private readonly Lazy<RequestDelegate> _post = new(() => Capture(services));

    public Task HandlePostAsync(HttpContext context) => _post.Value(context);

    private static RequestDelegate Capture(IServiceProvider services)
    {
        var routes = new CapturingRouteBuilder(services);
        routes.MapMcp(OAuth.OAuthResources.McpPath);
        var post = routes.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .FirstOrDefault(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Post) == true);
        return post?.RequestDelegate ?? throw new InvalidOperationException("The MCP SDK did not map a POST endpoint.");
    }

    private sealed class CapturingRouteBuilder(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;
        public ICollection<EndpointDataSource> DataSources { get; } = new List<EndpointDataSource>();
        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);
    }
}
