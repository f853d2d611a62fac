using Fractal.Functions.Hosting.Faults;
using Fractal.Functions.Storage;
using ModelContextProtocol;

namespace Fractal.Functions.Mcp;

/// <summary>
/// A dependency outage inside a tools/call: a JSON-RPC error with the same code the endpoint gives when the outage
/// hits before the SDK runs (Hosting/Faults), not a tool error the model might act on nor the SDK's generic internal
/// error. The HTTP status stays 200: the SDK has already begun its event stream when a tool runs.
/// </summary>
public static class McpOutage
{
    public static async ValueTask<T> GuardAsync<T>(IServiceProvider services, Func<ValueTask<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (StorageFaults.IsTransient(e, McpRequest.Of(services).RequestAborted))
        {
            throw new McpProtocolException(
                "Temporarily unavailable: a dependency (storage or secret store) did not answer. Try again shortly.",
                (McpErrorCode)ProtocolErrors.JsonRpcUnavailable);
        }
    }
}
