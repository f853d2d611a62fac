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

    private static T RequestPath<T>(T options) where T : ClientOptions
    {
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        return options;
    }
}
