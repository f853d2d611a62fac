using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Hosting.Options;

// Start-up validation: every failure names the setting (in its configuration-key form) so the person
// reading the log knows exactly what to fix.

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions o)
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(o.ConnectionString);
        var hasUri = !string.IsNullOrWhiteSpace(o.TableServiceUri);
        if (hasConnectionString == hasUri)
        {
            return ValidateOptionsResult.Fail(
                "Set exactly one of Storage:ConnectionString (Azurite or a key-based account) or Storage:TableServiceUri (managed identity).");
        }
        if (hasUri && !SettingChecks.IsAbsoluteHttpUri(o.TableServiceUri!, requireHttps: true))
        {
            return ValidateOptionsResult.Fail("Storage:TableServiceUri must be an absolute https URL.");
        }
        return ValidateOptionsResult.Success;
    }
}

internal sealed class SecretsOptionsValidator(IHostEnvironment environment, IOptions<KeyVaultOptions> keyVault)
    : IValidateOptions<SecretsOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretsOptions o)
    {
        switch (o.Provider)
        {
            case SecretProvider.KeyVault:
                var uri = keyVault.Value.Uri;
                if (string.IsNullOrWhiteSpace(uri))
                    return ValidateOptionsResult.Fail("KeyVault:Uri is required when Secrets:Provider is KeyVault.");
                if (!SettingChecks.IsAbsoluteHttpUri(uri, requireHttps: true))
                    return ValidateOptionsResult.Fail("KeyVault:Uri must be an absolute https URL.");
                return ValidateOptionsResult.Success;
            case SecretProvider.Development:
                // The development store keeps secrets in a local file: acceptable on a laptop, never elsewhere.
                if (!environment.IsDevelopment())
                    return ValidateOptionsResult.Fail(
                        $"Secrets:Provider=Development is refused in the '{environment.EnvironmentName}' environment; use KeyVault.");
                if (string.IsNullOrWhiteSpace(o.DevelopmentFilePath))
                    return ValidateOptionsResult.Fail("Secrets:DevelopmentFilePath is required when Secrets:Provider is Development.");
                return ValidateOptionsResult.Success;
            default:
                return ValidateOptionsResult.Fail("Secrets:Provider must be KeyVault or Development.");
        }
    }
}

internal sealed class FractalOptionsValidator(IHostEnvironment environment) : IValidateOptions<FractalOptions>
{
    public ValidateOptionsResult Validate(string? name, FractalOptions o)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(o.PublicBaseUrl))
        {
            if (!environment.IsDevelopment()) failures.Add("Fractal:PublicBaseUrl is required outside Development.");
        }
        else if (!ValidPublicBaseUrl(o.PublicBaseUrl))
        {
            failures.Add("Fractal:PublicBaseUrl must be an absolute https URL (http only on a loopback host) without a trailing slash, query or fragment.");
        }
        if (!ValidRecordUrlTemplate(o.RecordUrlTemplate))
            failures.Add("Fractal:RecordUrlTemplate must be empty or an absolute https URL containing {kind} and {id}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // The issuer must be byte-identical everywhere it appears (RFC 8414 §3.3, RFC 9207): no trailing
    // slash, no query or fragment, https except for loopback development hosts.
    private static bool ValidPublicBaseUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        && !value.EndsWith('/') && uri.Query.Length == 0 && uri.Fragment.Length == 0;

    /// <summary>Empty, or an https URL (once the placeholders are filled) that names both placeholders.</summary>
    internal static bool ValidRecordUrlTemplate(string? template) =>
        string.IsNullOrWhiteSpace(template)
        || (template.Contains("{kind}", StringComparison.Ordinal) && template.Contains("{id}", StringComparison.Ordinal)
            && SettingChecks.IsAbsoluteHttpUri(template.Replace("{kind}", "wo", StringComparison.Ordinal).Replace("{id}", "OT-1", StringComparison.Ordinal), requireHttps: true));
}

internal sealed class McpAppsOptionsValidator : IValidateOptions<McpAppsOptions>
{
    public ValidateOptionsResult Validate(string? name, McpAppsOptions o) =>
        string.IsNullOrWhiteSpace(o.WidgetDomain) || IsOrigin(o.WidgetDomain)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("McpApps:WidgetDomain must be empty or an origin: https://host[:port] (http only on a loopback host), no path, query or trailing slash.");

    /// <summary>An origin as ChatGPT reads <c>openai/widgetDomain</c>: scheme, host and port only.</summary>
    internal static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        && uri.GetLeftPart(UriPartial.Authority) == value;
}

internal sealed class McpOptionsValidator : IValidateOptions<McpOptions>
{
    public ValidateOptionsResult Validate(string? name, McpOptions o) =>
        o.AllowedOriginList.All(McpAppsOptionsValidator.IsOrigin)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Mcp:AllowedOrigins must be empty or space-separated origins: https://host[:port] (http only on a loopback host), no path, query or trailing slash.");
}

internal static class SettingChecks
{
    public static bool IsAbsoluteHttpUri(string value, bool requireHttps) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (!requireHttps && uri.Scheme == Uri.UriSchemeHttp));
}

internal sealed class SignInOptionsValidator : IValidateOptions<SignInThrottleOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInThrottleOptions o)
    {
        var failures = new List<string>();
        if (o.MaxFailuresPerIp is < 1 or > 1000) failures.Add("SignIn:MaxFailuresPerIp must be between 1 and 1000.");
        if (o.IpLockoutMinutes is < 1 or > 1440) failures.Add("SignIn:IpLockoutMinutes must be between 1 and 1440.");
        if (o.AccountDelayAfterFailures is < 1 or > 10000) failures.Add("SignIn:AccountDelayAfterFailures must be between 1 and 10000.");
        if (o.AccountMaxDelaySeconds is < 1 or > 86400) failures.Add("SignIn:AccountMaxDelaySeconds must be between 1 and 86400.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class SessionOptionsValidator : IValidateOptions<SessionOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionOptions o)
    {
        var failures = new List<string>();
        if (o.AbsoluteHours is < 1 or > 720) failures.Add("Sessions:AbsoluteHours must be between 1 and 720.");
        if (o.IdleMinutes < 1 || o.IdleMinutes > o.AbsoluteHours * 60) failures.Add("Sessions:IdleMinutes must be at least 1 and no more than Sessions:AbsoluteHours.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class NetworkOptionsValidator : IValidateOptions<NetworkOptions>
{
    public ValidateOptionsResult Validate(string? name, NetworkOptions o)
    {
        var failures = new List<string>();
        if (!(string.IsNullOrWhiteSpace(o.TrustedProxies) || o.TrustedProxies.Trim() == "none" || Network.TrustedProxies.TryParse(o.TrustedProxies, out _)))
            failures.Add("Network:TrustedProxies must be empty, none, or a comma-separated list of IP addresses or CIDR ranges.");
        if (!string.IsNullOrWhiteSpace(o.ClientIpHeader))
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(o.ClientIpHeader.Trim(), "^[A-Za-z0-9-]+$"))
                failures.Add("Network:ClientIpHeader must be a header name such as X-Azure-ClientIP.");
            // The header is believed only from a trusted proxy; with nobody trusted it would never be read.
            if (o.TrustedProxies?.Trim() == "none")
                failures.Add("Network:ClientIpHeader needs Network:TrustedProxies to list the gateway's ranges (it is 'none').");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class OAuthOptionsValidator : IValidateOptions<OAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, OAuthOptions o)
    {
        var failures = new List<string>();
        if (o.AccessTokenMinutes is < 1 or > 1440) failures.Add("OAuth:AccessTokenMinutes must be between 1 and 1440.");
        if (o.RefreshIdleDays is < 1 or > 365) failures.Add("OAuth:RefreshIdleDays must be between 1 and 365.");
        if (o.RefreshMaxDays < o.RefreshIdleDays || o.RefreshMaxDays > 730) failures.Add("OAuth:RefreshMaxDays must be at least OAuth:RefreshIdleDays and at most 730.");
        if (o.RefreshReuseLeewaySeconds is < 0 or > 300) failures.Add("OAuth:RefreshReuseLeewaySeconds must be between 0 and 300.");
        if (o.StatusCacheSeconds is < 0 or > 3600) failures.Add("OAuth:StatusCacheSeconds must be between 0 and 3600.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class RegistrationOptionsValidator : IValidateOptions<RegistrationOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistrationOptions o) =>
        o.RegistrationsPerIpPerHour is >= 1 and <= 10000
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Registration:RegistrationsPerIpPerHour must be between 1 and 10000.");
}

internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions o) =>
        o.RetentionDays is >= 1 and <= 3650
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Audit:RetentionDays must be between 1 and 3650.");
}

internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions o)
    {
        var failures = new List<string>();
        // The connection string is an address, not a credential (ingestion authenticates with Entra ID), but
        // a malformed one would silently drop every span: refuse to start instead.
        if (o.ExportsToApplicationInsights && !o.ApplicationInsightsConnectionString!.Contains("InstrumentationKey=", StringComparison.OrdinalIgnoreCase))
            failures.Add($"{TelemetryOptions.ApplicationInsightsKey} must be an Application Insights connection string (InstrumentationKey=...;IngestionEndpoint=...).");
        if (o.ExportsOverOtlp && !(Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out var otlp) && (otlp.Scheme == Uri.UriSchemeHttp || otlp.Scheme == Uri.UriSchemeHttps)))
            failures.Add($"{TelemetryOptions.OtlpEndpointKey} must be an absolute http(s) URL of an OTLP collector.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions o)
    {
        var failures = new List<string>();
        void Check(int value, string setting)
        {
            if (value is < 1 or > 1_000_000) failures.Add($"RateLimits:{setting} must be between 1 and 1000000.");
        }
        Check(o.SignInPerIpPerMinute, nameof(o.SignInPerIpPerMinute));
        Check(o.AuthorizePerIpPerMinute, nameof(o.AuthorizePerIpPerMinute));
        Check(o.TokenPerIpPerMinute, nameof(o.TokenPerIpPerMinute));
        Check(o.TokenPerConsumerPerMinute, nameof(o.TokenPerConsumerPerMinute));
        Check(o.ToolCallsPerGrantPerMinute, nameof(o.ToolCallsPerGrantPerMinute));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions o)
    {
        var failures = new List<string>();
        if (o.ExpiredGraceHours is < 0 or > 24 * 90) failures.Add("Retention:ExpiredGraceHours must be between 0 and 2160.");
        if (o.RevokedDays is < 0 or > 3650) failures.Add("Retention:RevokedDays must be between 0 and 3650.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
