using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp;

/// <summary>
/// Server options built once instead of once per request. In stateless mode the SDK's handler asks the
/// options factory for fresh <see cref="McpServerOptions"/> on every POST, which re-ran the whole options
/// pipeline per call: a new collection of every tool and our schema compaction (<see cref="ToolSchemas"/>)
/// of every tool definition. Nothing in our options depends on the request (per-user tool lists and
/// permissions are request filters reading <c>context.User</c>), and the server only reads its options, so
/// one instance serves every per-request server. <c>ScopeRequests</c> is off as the stateless handler sets it.
/// </summary>
internal sealed class BuiltOnceServerOptions(IOptionsFactory<McpServerOptions> inner) : IOptionsFactory<McpServerOptions>
{
    private readonly ConcurrentDictionary<string, Lazy<McpServerOptions>> _built = new(StringComparer.Ordinal);

    public McpServerOptions Create(string name) => _built.GetOrAdd(name, n => new Lazy<McpServerOptions>(() =>
    {
        var options = inner.Create(n);
        options.ScopeRequests = false;
        return options;
    })).Value;
}
