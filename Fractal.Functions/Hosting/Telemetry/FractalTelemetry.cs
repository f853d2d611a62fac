using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Fractal.Functions.Hosting.Telemetry;

/// <summary>
/// The app's own spans and metrics. Instruments are created once per process, as .NET's metrics guidance
/// recommends for libraries; an OpenTelemetry pipeline (or any listener) subscribes by name. Without a
/// listener, recording costs a few nanoseconds and no allocation.
/// Attribute names follow the OpenTelemetry semantic conventions where one exists (<c>gen_ai.tool.name</c>,
/// <c>mcp.method.name</c>, <c>error.type</c>) and use the <c>fractal.</c> prefix otherwise; the saved queries
/// in <c>infra/queries</c> read them. Never put a secret, token, code or password in an attribute.
/// </summary>
public static class FractalTelemetry
{
    public const string Name = "Fractal.Functions";

    /// <summary>The MCP SDK's own ActivitySource and Meter (tools/call spans carrying mcp.method.name and gen_ai.tool.name).</summary>
    public const string McpSdkName = "Experimental.ModelContextProtocol";

    public const string TenantAttribute = "fractal.tenant_id";
    public const string ClientAttribute = "fractal.client_id";
    public const string UserAttribute = "fractal.user_id";
    public const string OutcomeAttribute = "fractal.outcome";
    public const string GrantTypeAttribute = "oauth.grant_type";
    public const string ToolAttribute = "gen_ai.tool.name";
    public const string McpMethodAttribute = "mcp.method.name";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> TokensIssued = Meter.CreateCounter<long>(
        "fractal.oauth.tokens_issued", "{token}", "Access tokens issued by the token endpoint, by grant type.");

    private static readonly Counter<long> CodeReplays = Meter.CreateCounter<long>(
        "fractal.oauth.code_replays", "{code}", "Authorization codes presented a second time (the token family they started is revoked).");

    private static readonly Counter<long> RefreshReuses = Meter.CreateCounter<long>(
        "fractal.oauth.refresh_reuses", "{token}", "Replaced refresh tokens presented after the reuse leeway (the family is revoked).");

    private static readonly Histogram<double> TokenRequestDuration = Meter.CreateHistogram<double>(
        "fractal.oauth.token_request.duration", "s", "Time to answer a token request, by grant type and outcome.");

    private static readonly Counter<long> SignInFailures = Meter.CreateCounter<long>(
        "fractal.sign_in.failures", "{attempt}", "Refused sign-ins, by reason (credentials or throttled).");

    private static readonly Counter<long> ToolCalls = Meter.CreateCounter<long>(
        "fractal.mcp.tool_calls", "{call}", "MCP tools/call requests, by tool and outcome.");

    private static readonly Histogram<double> ToolCallDuration = Meter.CreateHistogram<double>(
        "fractal.mcp.tool_call.duration", "s", "Time to run an MCP tool call including permission check and audit, by tool and outcome.");

    public static void TokenIssued(string grantType) => TokensIssued.Add(1, new KeyValuePair<string, object?>(GrantTypeAttribute, grantType));

    public static void CodeReplayed() => CodeReplays.Add(1);

    public static void RefreshReused() => RefreshReuses.Add(1);

    public static void TokenRequestAnswered(string? grantType, int status, TimeSpan elapsed) =>
        TokenRequestDuration.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>(GrantTypeAttribute, KnownGrantType(grantType)),
            new KeyValuePair<string, object?>(OutcomeAttribute, status < 400 ? "issued" : "refused"),
            new KeyValuePair<string, object?>("http.response.status_code", status));

    public static void SignInFailed(string reason) => SignInFailures.Add(1, new KeyValuePair<string, object?>("fractal.reason", reason));

    public static void ToolCalled(string tool, string outcome, TimeSpan elapsed)
    {
        var toolTag = new KeyValuePair<string, object?>(ToolAttribute, tool);
        var outcomeTag = new KeyValuePair<string, object?>(OutcomeAttribute, outcome);
        ToolCalls.Add(1, toolTag, outcomeTag);
        ToolCallDuration.Record(elapsed.TotalSeconds, toolTag, outcomeTag);
    }

    /// <summary>
    /// Names who is acting on the current span (the request's, or the MCP SDK's tools/call span), so
    /// traces can be filtered by tenant, consumer and user. Ids only: never an email, name or credential.
    /// </summary>
    public static void TagCaller(string? tenantId, string? clientId, string? userId)
    {
        var activity = Activity.Current;
        if (activity is null || !activity.IsAllDataRequested) return;
        if (tenantId is not null) activity.SetTag(TenantAttribute, tenantId);
        if (clientId is not null) activity.SetTag(ClientAttribute, clientId);
        if (userId is not null) activity.SetTag(UserAttribute, userId);
    }

    // A client may send any grant_type: only the known values become a metric attribute, so a
    // misbehaving client cannot grow the metric's cardinality without bound.
    private static string KnownGrantType(string? grantType) =>
        grantType is "authorization_code" or "refresh_token" ? grantType : "other";
}
