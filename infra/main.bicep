// Fractal One — MCP and OAuth endpoints on Azure Functions (Flex Consumption).
// Deploys into an existing resource group: `azd up` (azure.yaml at the repo root) or
// `az deployment group create --resource-group <rg> --parameters infra/main.bicepparam`.
// The app reaches Table Storage, Key Vault and Application Insights with one user-assigned managed
// identity; no connection string or key is stored anywhere (docs/deployment.md).
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd: AZURE_ENV_NAME). Seeds the unique suffix of every resource name and the azd-env-name tag.')
param environmentName string

@description('Region of every resource. Flex Consumption is offered in a subset of regions; see docs/deployment.md.')
param location string = resourceGroup().location

@minValue(0)
@maxValue(20)
@description('Always-ready instances for the HTTP functions. 1 keeps the OAuth metadata and MCP endpoints answering without a cold start (Claude waits at most 10 s); 0 lets the app scale to zero.')
param alwaysReadyInstances int = 1

@minValue(1)
@maxValue(1000)
@description('Upper bound of Flex Consumption scale-out.')
param maximumInstanceCount int = 100

@allowed([
  512
  2048
  4096
])
@description('Memory of each instance, in MB.')
param instanceMemoryMB int = 2048

@description('Custom domain (host name only, e.g. mcp.example.com) that clients use. When set it becomes Fractal:PublicBaseUrl (the OAuth issuer); binding the domain and its certificate to the app is a separate step. Empty: the app\'s own https://<name>.azurewebsites.net host.')
param customDomain string = ''

@description('Object id of a person or pipeline that deploys and bootstraps the app (azd: AZURE_PRINCIPAL_ID). When set it gets Key Vault Secrets Officer and Storage Table Data Contributor, so the app\'s manage command can be run against Azure. Empty: no extra role assignment.')
param deployerPrincipalId string = ''

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
@description('Kind of principal deployerPrincipalId is.')
param deployerPrincipalType string = 'User'

@description('Overrides of the app\'s tunable settings (SignIn__*, Sessions__*, OAuth__*, Network__TrustedProxies), e.g. { OAuth__AccessTokenMinutes: \'30\' }. The identity-based settings cannot be overridden here.')
param appSettingOverrides object = {}

@minValue(30)
@maxValue(730)
@description('Days Log Analytics keeps telemetry.')
param logRetentionDays int = 30

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = {
  'azd-env-name': environmentName
  application: 'fractal-one-mcp'
}
var names = {
  identity: 'id-fractal-${resourceToken}'
  storageAccount: 'stfractal${resourceToken}'
  keyVault: 'kv-fractal-${resourceToken}'
  workspace: 'log-fractal-${resourceToken}'
  applicationInsights: 'appi-fractal-${resourceToken}'
  plan: 'plan-fractal-${resourceToken}'
  functionApp: 'func-fractal-${resourceToken}'
}
var deploymentContainerName = 'app-package'

// Every table the app uses (Fractal.Functions/Storage/TableNames.cs). The app also creates a missing table
// on first use; creating them here lets the identity's rights stay data-plane only. A test keeps this list
// equal to TableNames.All.
var tableNames = loadJsonContent('tables.json')

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.identity
  location: location
  tags: tags
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storageAccount
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    tableNames: tableNames
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    name: names.keyVault
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: names.workspace
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module roles 'modules/role-assignments.bicep' = {
  name: 'role-assignments'
  params: {
    appIdentityId: identity.id
    appPrincipalId: identity.properties.principalId
    storageAccountName: names.storageAccount
    keyVaultName: names.keyVault
    applicationInsightsName: names.applicationInsights
    deployerPrincipalId: deployerPrincipalId
    deployerPrincipalType: deployerPrincipalType
  }
  // Names are known before deployment (for What-If); the resources must exist first.
  dependsOn: [
    storage
    keyVault
    monitoring
  ]
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    azdServiceName: 'fractal'
    identityId: identity.id
    identityClientId: identity.properties.clientId
    blobServiceUri: storage.outputs.blobServiceUri
    queueServiceUri: storage.outputs.queueServiceUri
    tableServiceUri: storage.outputs.tableServiceUri
    deploymentContainerName: deploymentContainerName
    keyVaultUri: keyVault.outputs.uri
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    customDomain: customDomain
    alwaysReadyInstances: alwaysReadyInstances
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    appSettingOverrides: appSettingOverrides
  }
  // The host reads its storage and the app its tables and vault with these roles from the first start.
  dependsOn: [
    roles
  ]
}

@description('The MCP server URL to paste into ChatGPT or Claude.')
output MCP_SERVER_URL string = '${functionApp.outputs.publicBaseUrl}/mcp/oauth/fractal-one'

@description('The OAuth issuer (Fractal:PublicBaseUrl).')
output OAUTH_ISSUER string = functionApp.outputs.publicBaseUrl

@description('The Key Vault holding consumer secrets and token-signing keys.')
output KEY_VAULT_URI string = keyVault.outputs.uri

@description('The Table Storage endpoint (Storage:TableServiceUri), for the manage command run from a workstation.')
output STORAGE_TABLE_SERVICE_URI string = storage.outputs.tableServiceUri

@description('The resource group everything was deployed to.')
output AZURE_RESOURCE_GROUP string = resourceGroup().name

@description('The Function App name (for az functionapp commands).')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

// Not named AZURE_CLIENT_ID: azd writes outputs to its .env, and that name would steer a workstation's
// DefaultAzureCredential towards a managed identity it does not have.
@description('Client id of the app\'s managed identity (the app\'s AZURE_CLIENT_ID).')
output APP_IDENTITY_CLIENT_ID string = identity.properties.clientId
