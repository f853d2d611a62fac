using Azure.Core;
using Azure.Data.Tables;
using Azure.Security.KeyVault.Secrets;

namespace Fractal.Functions.Storage;

/// <summary>
/// The Azure SDK client options the app serves requests with (Table Storage and Key Vault alike). A request path
/// must fail fast when a dependency is down rather than stall in long retry loops: 2 retries 200 ms apart, 5 s per
/// try, then the outage answer (503 + Retry-After). Test and benchmark hosts start from these and add their policies.
/// </summary>
public static class DependencyClientOptions
{
    public static TableClientOptions ForTables() => RequestPath(new TableClientOptions());

    public static SecretClientOptions ForSecrets() => RequestPath(new SecretClientOptions());

    /// <summary>
    /// Table options for bulk loads (the demo plant), which are not a request path: no retries of the SDK's own (the
    /// loader retries a batch itself, after a pause) and a long per-try timeout. With the request path's 5 s a loader
    /// sending batches in parallel to a busy single-threaded emulator timed out on its own queue, and every timed-out
    /// try was sent again while the emulator still worked through the first: three sends per try, five tries per
    /// batch, until the load failed (seen in the test suite as a load that gave up after 85 s).
    /// </summary>
    public static TableClientOptions ForBulkLoads()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(60);
        return options;
    }

    private static T RequestPath<T>(T options) where T : ClientOptions
    {
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        return options;
    }
}
