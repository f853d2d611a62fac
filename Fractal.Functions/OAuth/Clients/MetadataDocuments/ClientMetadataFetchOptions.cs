using System.Net.Security;

namespace Fractal.Functions.OAuth.Clients.MetadataDocuments;

/// <summary>
/// How client ID metadata documents are fetched. Not a setting: the limits are fixed by the issue (5 KB,
/// 5 seconds) and private addresses are reachable only in the Development environment. Tests, which run in
/// the "Testing" environment against a loopback HTTPS server, register their own instance (a narrow,
/// code-only allowance: no configuration value can open private addresses in a deployment).
/// </summary>
public sealed class ClientMetadataFetchOptions
{
    public const int DefaultMaxBytes = 5 * 1024;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Loopback, private, link-local and other non-public addresses may be fetched (Development only).</summary>
    public bool AllowPrivateAddresses { get; init; }

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    public int MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>Replaces the default TLS certificate validation (tests trust their own self-signed server).</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; init; }
}
