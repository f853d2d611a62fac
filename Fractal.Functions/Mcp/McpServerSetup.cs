using System.Reflection;
using System.Text.Json.Nodes;
using Fractal.Functions.Mcp.Apps;
using Fractal.Functions.Mcp.Records;
using Fractal.Functions.Mcp.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp;

/// <summary>The MCP server's registrations: stateless HTTP transport, our tools, and the permission filters.</summary>
public static class McpServerSetup
{
    public static IServiceCollection AddFractalMcp(this IServiceCollection services)
    {
        services.TryAddSingleton<McpAuthenticator>();
        services.TryAddSingleton<SdkMcpEndpoint>();
        services.TryAddSingleton<McpOriginPolicy>();
        services.TryAddSingleton<IdempotentCalls>();
        services.TryAddSingleton<ToolCallAudit>();
        services.TryAddSingleton<PersonNames>();
        // What tools need from the request travels explicitly: McpFunction captures it into the request's services.
        services.TryAddScoped<McpRequest>();
        services.TryAddScoped<RecordLinks>();
        services.TryAddSingleton<RecordReader>();
        services.AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation { Name = "fractal-one", Title = "Fractal One maintenance", Version = "1.0.0" };
                o.ServerInstructions = "Fractal One CMMS: work orders (folios like OT-1496), assets, service requests, meters, preventive plans, inventory and maintenance KPIs. Every call acts with the signed-in user's own permissions.";
                // The MCP Apps extension (SEP-1724 extension capabilities): our tools name ui:// views that hosts may draw.
                o.Capabilities ??= new ServerCapabilities();
                o.Capabilities.Extensions = new Dictionary<string, object> { [AppViews.ExtensionId] = new JsonObject() };
            })
            .WithHttpTransport(o => o.SessionMode = HttpServerSessionMode.Stateless)
            // Schemas and structured content use the same JSON conventions (camelCase, snake_case enums, no nulls).
            .WithTools(ToolTypes, ToolResults.Json)
            .WithResources(AppViews.All.Select(v => (McpServerResource)new ViewResource(v)))
            .WithRequestFilters(filters =>
            {
                // tools/list shows only what the caller may use...
                filters.AddListToolsFilter(next => async (context, ct) =>
                {
                    var result = await next(context, ct);
                    var caller = McpCaller.From(context.User);
                    result.Tools = result.Tools.Where(t => caller is not null && ToolPermissions.Allows(caller, t.Name)).ToList();
                    return result;
                });
                // ...and tools/call checks again: a hidden tool called anyway is refused, naming the permission.
                // Every call is audited (outermost), write tools honour idempotency_key (innermost), and results get names beside person ids.
                filters.AddCallToolFilter(next => async (context, ct) =>
                {
                    var caller = McpCaller.From(context.User);
                    var name = context.Params?.Name ?? "";
                    if (caller is null) return ToolResults.Error("Not authenticated.");
                    var arguments = context.Params?.Arguments;
                    var services = context.Services!;
                    return await McpOutage.GuardAsync(services, () => services.GetRequiredService<ToolCallAudit>().RunAsync(caller, name, arguments, async () =>
                    {
                        if (ToolPermissions.Required(name, arguments) is { } permission && !caller.Can(permission)) return McpCaller.Refusal(permission);
                        if (context.MatchedPrimitive is McpServerTool tool && ToolArguments.MissingRequired(tool.ProtocolTool.InputSchema, arguments) is { } missing)
                            throw ToolArguments.Invalid($"'{missing}' is required.");
                        var result = ToolPermissions.IsWrite(name)
                            ? await services.GetRequiredService<IdempotentCalls>().RunAsync(caller, name, arguments, () => next(context, ct), ct)
                            : await next(context, ct);
                        // Names beside person ids, in every result (and in a retry's stored first result alike).
                        return await services.GetRequiredService<PersonNames>().AnnotateAsync(caller, result, ct);
                    }, ct));
                });
                // Innermost: answers carry the plant's local offset (and a retried write replays them so).
                filters.AddCallToolFilter(LocalOffsets.Filter);
            });
        // Built once for all requests (BuiltOnceServerOptions), not once per stateless request.
        services.Replace(ServiceDescriptor.Singleton<IOptionsFactory<McpServerOptions>>(sp => new BuiltOnceServerOptions(new OptionsFactory<McpServerOptions>(
            sp.GetServices<IConfigureOptions<McpServerOptions>>(), sp.GetServices<IPostConfigureOptions<McpServerOptions>>(), sp.GetServices<IValidateOptions<McpServerOptions>>()))));
        services.PostConfigure<McpServerOptions>(o =>
        {
            // Tool definitions cost the model context on every turn: publish them trimmed (ToolSchemas).
            foreach (var tool in o.ToolCollection ?? [])
            {
                var definition = tool.ProtocolTool;
                definition.InputSchema = ToolSchemas.CompactInput(definition.InputSchema);
                if (definition.OutputSchema is { } schema) definition.OutputSchema = ToolSchemas.Compact(schema);
                if (definition.Annotations is { } annotations) annotations.Title = null; // the tool's own title says it
                if (ToolViewLinks.MetaFor(definition.Name) is { } meta) definition.Meta = meta;
            }
        });
        return services;
    }

    /// <summary>Every tool class in the Tools folder.</summary>
    private static IEnumerable<Type> ToolTypes => typeof(McpServerSetup).Assembly.GetTypes()
        .Where(t => t.GetCustomAttribute<McpServerToolTypeAttribute>() is not null);
}
