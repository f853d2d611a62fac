using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Fractal.Functions.Admin;
using Fractal.Functions.Audit;
using Fractal.Functions.Identity;
using Fractal.Functions.Consumers;
using Fractal.Functions.Hosting.Demo;
using Fractal.Functions.Hosting.Health;
using Fractal.Functions.Hosting.Network;
using Fractal.Functions.Hosting.Telemetry;
using Fractal.Functions.Identity.Sessions;
using Fractal.Functions.Identity.SignIn;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.OAuth.Authorize;
using Fractal.Functions.OAuth.Clients;
using Fractal.Functions.OAuth.Clients.MetadataDocuments;
using Fractal.Functions.OAuth.Registration;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.OAuth.Keys;
using Fractal.Functions.OAuth.Token;
using Fractal.Functions.OAuth.Tokens;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Identity;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Maintenance;
using Fractal.Functions.Mcp;
using Fractal.Functions.Secrets;
using Fractal.Functions.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Hosting;

/// <summary>
/// The one composition method. The Functions host (Program.cs) and the standalone host both call it, so
/// they serve the same behaviour. Tests may register their own <see cref="TokenCredential"/>,
/// <see cref="SecretClientOptions"/>, <see cref="TableClientOptions"/> or <see cref="TimeProvider"/>
/// before or after it: each is added with TryAdd.
/// </summary>
public static class ServiceComposition
{
    public static IServiceCollection AddFractal(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, HostingMode mode)
    {
        services.TryAddSingleton(new HostingContext(mode));
        AddValidatedOptions<StorageOptions, StorageOptionsValidator>(services, configuration, StorageOptions.Section);
        AddValidatedOptions<SecretsOptions, SecretsOptionsValidator>(services, configuration, SecretsOptions.Section);
        AddValidatedOptions<FractalOptions, FractalOptionsValidator>(services, configuration, FractalOptions.Section);
        AddValidatedOptions<SignInThrottleOptions, SignInOptionsValidator>(services, configuration, SignInThrottleOptions.Section);
        AddValidatedOptions<SessionOptions, SessionOptionsValidator>(services, configuration, SessionOptions.Section);
        AddValidatedOptions<NetworkOptions, NetworkOptionsValidator>(services, configuration, NetworkOptions.Section);
        AddValidatedOptions<OAuthOptions, OAuthOptionsValidator>(services, configuration, OAuthOptions.Section);
        AddValidatedOptions<RegistrationOptions, RegistrationOptionsValidator>(services, configuration, RegistrationOptions.Section);
        AddValidatedOptions<AuditOptions, AuditOptionsValidator>(services, configuration, AuditOptions.Section);
        AddValidatedOptions<McpAppsOptions, McpAppsOptionsValidator>(services, configuration, McpAppsOptions.Section);
        AddValidatedOptions<McpOptions, McpOptionsValidator>(services, configuration, McpOptions.Section);
        AddValidatedOptions<RateLimitOptions, RateLimitOptionsValidator>(services, configuration, RateLimitOptions.Section);
        AddValidatedOptions<RetentionOptions, RetentionOptionsValidator>(services, configuration, RetentionOptions.Section);
        services.AddOptions<KeyVaultOptions>().Bind(configuration.GetSection(KeyVaultOptions.Section));
        services.AddFractalTelemetry(configuration, mode);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());

        AddTableStorage(services);
        AddSecretStore(services);

        services.TryAddSingleton<HealthProbe>();
        services.TryAddSingleton<PublicUrls>();
        services.AddWorkerPipeline();
        services.TryAddSingleton<ClientIpResolver>();
        services.TryAddSingleton<SharedAddressMonitor>();
        services.TryAddSingleton<DeferredAuditWriter>();
        services.TryAddSingleton<Hosting.RateLimiting.RequestRateLimits>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<AuditQuery>();
        services.TryAddSingleton<AuditFilterReader>();
        services.TryAddSingleton<AuditRetention>();
        AddIdentity(services);
        AddOAuth(services);
        AddRetention(services, mode);
        services.AddMaintenance();
        services.AddFractalMcp();
        return services;
    }

    private static void AddValidatedOptions<TOptions, TValidator>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }

    private static void AddIdentity(IServiceCollection services)
    {
        services.TryAddSingleton<IPasswordHasher<UserEntity>, PasswordHasher<UserEntity>>();
        services.TryAddSingleton<TenantStore>();
        services.TryAddSingleton<UserStore>();
        services.TryAddSingleton<SignInThrottle>();
        services.TryAddSingleton<SignInService>();
        services.TryAddSingleton<SessionService>();
        services.TryAddSingleton<Csrf>();
        services.TryAddSingleton<UserAdminService>();
    }

    private static void AddOAuth(IServiceCollection services)
    {
        services.TryAddSingleton<ConsumerStore>();
        services.TryAddSingleton<GrantStore>();
        services.TryAddSingleton<AuthorizeRequestValidator>();
        services.TryAddSingleton<TokenFamilyStore>();
        services.TryAddSingleton<UserAuthorizations>();
        services.TryAddSingleton<SigningKeyRing>();
        services.TryAddSingleton<AccessTokenFactory>();
        services.TryAddSingleton<TokenStatusCache>();
        services.TryAddSingleton<BearerTokenValidator>();
        services.TryAddSingleton<ClientAuthenticator>();
        services.TryAddSingleton<GlobalClientStore>();
        services.TryAddSingleton<ClientDirectory>();
        services.TryAddSingleton<TenantClientPolicy>();
        services.TryAddSingleton<ConsumerLookalikes>();
        services.TryAddSingleton<DynamicClientRegistrar>();
        // Private addresses are reachable only in Development (tests register their own options: see the class).
        services.TryAddSingleton(sp => new ClientMetadataFetchOptions { AllowPrivateAddresses = sp.GetRequiredService<IHostEnvironment>().IsDevelopment() });
        services.TryAddSingleton<ClientMetadataFetcher>();
        services.TryAddSingleton<MetadataDocumentClients>();
        services.TryAddSingleton<TokenIssuer>();
        services.TryAddSingleton<AuthorizationCodeGrant>();
        services.TryAddSingleton<RefreshTokenGrant>();
        services.TryAddSingleton<DemoSeeder>();
        services.TryAddSingleton<UserPermissions>();
        services.TryAddSingleton<AdminAccess>();
        services.TryAddSingleton<ConsumerService>();
        services.TryAddSingleton<AppAuthorizationService>();
    }

    /// <summary>The retention job and its purgers: one line per kind of row that outlives its use.</summary>
    private static void AddRetention(IServiceCollection services, HostingMode mode)
    {
        services.TryAddSingleton<Retention.RetentionJob>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Retention.IRetentionPurger, Retention.ExpiredCodesPurger>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Retention.IRetentionPurger, Retention.ExpiredSessionsPurger>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Retention.IRetentionPurger, Retention.DeadTokenFamiliesPurger>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Retention.IRetentionPurger, Retention.AuditEntriesPurger>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Retention.IRetentionPurger, Retention.UnusedGlobalClientsPurger>());
        // Under the Functions host the timer function runs the job; standalone has no timers, so a hosted service does.
        if (mode == HostingMode.Standalone) services.AddHostedService<Retention.RetentionService>();
    }

    private static void AddTableStorage(IServiceCollection services)
    {
        services.TryAddSingleton(_ => DependencyClientOptions.ForTables());
        services.TryAddSingleton(sp => CreateTableServiceClient(sp, sp.GetRequiredService<TableClientOptions>()));
        services.TryAddSingleton<TableStore>();
        // The same account through a client with bulk-load timeouts, for the demo plant loader only.
        services.TryAddKeyedSingleton(TableStore.BulkLoads, (sp, _) => new TableStore(CreateTableServiceClient(sp, DependencyClientOptions.ForBulkLoads())));
        services.TryAddSingleton<ServiceKeyStore>();
        services.TryAddSingleton<PageCursorCodec>();
        services.TryAddSingleton<PagedReader>();
    }

    private static TableServiceClient CreateTableServiceClient(IServiceProvider services, TableClientOptions clientOptions)
    {
        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new TableServiceClient(new Uri(options.TableServiceUri!), services.GetRequiredService<TokenCredential>(), clientOptions)
            : new TableServiceClient(options.ConnectionString, clientOptions);
    }

    private static void AddSecretStore(IServiceCollection services)
    {
        services.TryAddSingleton(_ => DependencyClientOptions.ForSecrets());
        services.TryAddSingleton(sp => new SecretClient(
            new Uri(sp.GetRequiredService<IOptions<KeyVaultOptions>>().Value.Uri!),
            sp.GetRequiredService<TokenCredential>(),
            sp.GetRequiredService<SecretClientOptions>()));
        services.TryAddSingleton<ISecretStore>(sp =>
            sp.GetRequiredService<IOptions<SecretsOptions>>().Value.Provider == SecretProvider.Development
                ? ActivatorUtilities.CreateInstance<DevelopmentSecretStore>(sp)
                : ActivatorUtilities.CreateInstance<KeyVaultSecretStore>(sp));
    }
}
