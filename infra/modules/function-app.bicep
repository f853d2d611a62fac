// The Flex Consumption (FC1) plan and the Function App: dotnet-isolated 10.0, one user-assigned identity
// for everything (host storage, deployment package, tables, vault, telemetry), HTTPS only, FTP and basic
// publishing credentials off. The app settings are in app-settings.bicep.

@description('Function App name (also its default host name, <name>.azurewebsites.net).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Region.')
param location string

@description('Tags.')
param tags object

@description('The azd service this app hosts (azure.yaml); azd finds the app by this tag.')
param azdServiceName string

@description('Resource id of the user-assigned managed identity.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Blob endpoint of the storage account (trailing slash).')
param blobServiceUri string

@description('Queue endpoint of the storage account (trailing slash).')
param queueServiceUri string

@description('Table endpoint of the storage account (trailing slash).')
param tableServiceUri string

@description('Blob container of the deployment package.')
param deploymentContainerName string

@description('Key Vault URI.')
param keyVaultUri string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Custom domain (host name only) or empty.')
param customDomain string

@description('Always-ready instances of the HTTP function group.')
param alwaysReadyInstances int

@description('Maximum instance count.')
param maximumInstanceCount int

@description('Instance memory, MB.')
param instanceMemoryMB int

@description('Overrides of the tunable app settings.')
param appSettingOverrides object

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': azdServiceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobServiceUri}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        // "http" is the group of every HTTP-triggered function: metadata, OAuth and MCP endpoints alike.
        alwaysReady: alwaysReadyInstances > 0
          ? [
              {
                name: 'http'
                instanceCount: alwaysReadyInstances
              }
            ]
          : []
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
  }
}

// No FTP and no basic-auth publishing: deployments authenticate with Entra ID (azd, az functionapp deploy).
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

var publicBaseUrl = empty(customDomain) ? 'https://${site.properties.defaultHostName}' : 'https://${customDomain}'

module appSettings 'app-settings.bicep' = {
  name: 'app-settings'
  params: {
    siteName: site.name
    identityClientId: identityClientId
    blobServiceUri: blobServiceUri
    queueServiceUri: queueServiceUri
    tableServiceUri: tableServiceUri
    keyVaultUri: keyVaultUri
    publicBaseUrl: publicBaseUrl
    applicationInsightsConnectionString: applicationInsightsConnectionString
    appSettingOverrides: appSettingOverrides
  }
}

@description('Function App name.')
output name string = site.name

@description('Fractal:PublicBaseUrl: the OAuth issuer and base of every published URL (no trailing slash).')
output publicBaseUrl string = publicBaseUrl
