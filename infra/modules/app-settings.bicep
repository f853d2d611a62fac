// Every setting the app reads in Azure (README, Settings; local.settings.sample.json). Storage, Key Vault
// and telemetry are reached by the managed identity only: no connection string or key appears here.
// Left out on purpose, because they only make sense locally (a test keeps this list honest):
//   Storage__ConnectionString, Secrets__DevelopmentFilePath  - Azurite and the development secret store
//   AzureWebJobsStorage                                      - replaced by the identity-based AzureWebJobsStorage__* settings
//   FUNCTIONS_WORKER_RUNTIME                                 - Flex Consumption takes the runtime from functionAppConfig and rejects this setting
//   AZURE_FUNCTIONS_ENVIRONMENT                              - unset means Production

@description('Function App name.')
param siteName string

@description('Client id of the app\'s user-assigned identity.')
param identityClientId string

@description('Blob endpoint of the storage account.')
param blobServiceUri string

@description('Queue endpoint of the storage account.')
param queueServiceUri string

@description('Table endpoint of the storage account.')
param tableServiceUri string

@description('Key Vault URI.')
param keyVaultUri string

@description('Fractal:PublicBaseUrl (no trailing slash).')
param publicBaseUrl string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Overrides of the tunable settings below.')
param appSettingOverrides object

// The app's own defaults, as in local.settings.sample.json.
var tunableSettings = {
  SignIn__MaxFailuresPerIp: '5'
  SignIn__IpLockoutMinutes: '15'
  SignIn__AccountDelayAfterFailures: '10'
  SignIn__AccountMaxDelaySeconds: '300'
  Sessions__AbsoluteHours: '8'
  Sessions__IdleMinutes: '30'
  Network__TrustedProxies: '' // empty: trust the Functions host's own loopback proxy only; behind a gateway: its ranges
  Network__ClientIpHeader: '' // behind Azure Front Door: X-Azure-ClientIP (with its ranges in Network__TrustedProxies)
  OAuth__AccessTokenMinutes: '60'
  OAuth__RefreshIdleDays: '30'
  OAuth__RefreshMaxDays: '90'
  OAuth__RefreshReuseLeewaySeconds: '30'
  OAuth__StatusCacheSeconds: '60'
  Registration__DynamicClientsEnabled: 'false' // RFC 7591 at /oauth/register; off unless the operator opts in
  Registration__RegistrationsPerIpPerHour: '10'
  Registration__MetadataDocumentsEnabled: 'false' // client ID metadata documents; off unless the operator opts in
  Audit__RetentionDays: '365'
  RateLimits__SignInPerIpPerMinute: '60'
  RateLimits__AuthorizePerIpPerMinute: '300'
  RateLimits__TokenPerIpPerMinute: '300'
  RateLimits__TokenPerConsumerPerMinute: '600'
  RateLimits__ToolCallsPerGrantPerMinute: '300'
  Retention__ExpiredGraceHours: '24'
  Retention__RevokedDays: '30'
  Retention__StandaloneEnabled: 'true' // ignored under the Functions host, where the timer function runs the job
  Fractal__RecordUrlTemplate: '' // empty: search/fetch results link to this app's own /records pages
  OTEL_EXPORTER_OTLP_ENDPOINT: '' // empty: no OTLP export (Application Insights receives the telemetry)
  McpApps__WidgetDomain: '' // empty: the in-chat views' openai/widgetDomain is the origin of Fractal__PublicBaseUrl
  Mcp__AllowedOrigins: '' // empty: only the app's own origin and the views' origin may call MCP from a browser (requests without Origin always may)
}

var identitySettings = {
  // The Functions host's own home page (~150 KB at GET /) is off: the app publishes nothing at /.
  AzureWebJobsDisableHomepage: 'true'
  // The Functions host's own storage, by identity.
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: blobServiceUri
  AzureWebJobsStorage__queueServiceUri: queueServiceUri
  AzureWebJobsStorage__tableServiceUri: tableServiceUri
  // DefaultAzureCredential in the app picks the user-assigned identity by this client id.
  AZURE_CLIENT_ID: identityClientId
  Storage__TableServiceUri: tableServiceUri
  Secrets__Provider: 'KeyVault'
  KeyVault__Uri: keyVaultUri
  Fractal__PublicBaseUrl: publicBaseUrl
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identityClientId}'
}

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: siteName
}

// Later objects win: overrides can change a tunable, never the identity-based settings.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(tunableSettings, appSettingOverrides, identitySettings)
}
