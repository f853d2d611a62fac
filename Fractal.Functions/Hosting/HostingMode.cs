namespace Fractal.Functions.Hosting;

/// <summary>Which host runs the app; only where behaviour must differ (the proxy in front of the worker).</summary>
public enum HostingMode
{
    /// <summary>Under the Azure Functions host: requests arrive through the host's own proxy on loopback.</summary>
    FunctionsHost,
    /// <summary>Kestrel serves clients directly.</summary>
    Standalone,
}

/// <summary>The hosting mode as a service.</summary>
public sealed record HostingContext(HostingMode Mode);
