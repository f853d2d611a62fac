// The storage account: the Functions host's own storage (AzureWebJobsStorage), the Flex Consumption
// deployment container, and the app's tables. Reached only with Entra ID: shared keys are off.

@description('Storage account name (3-24 lowercase letters and digits).')
param name string

@description('Region.')
param location string

@description('Tags.')
param tags object

@description('Blob container the Flex Consumption platform deploys the app package from.')
param deploymentContainerName string

@description('Tables to create (infra/tables.json).')
param tableNames string[]

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false // identity only: no account key or SAS can be used
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

@description('Storage account name.')
output name string = account.name

@description('Blob endpoint, with a trailing slash.')
output blobServiceUri string = account.properties.primaryEndpoints.blob

@description('Queue endpoint, with a trailing slash.')
output queueServiceUri string = account.properties.primaryEndpoints.queue

@description('Table endpoint, with a trailing slash.')
output tableServiceUri string = account.properties.primaryEndpoints.table
