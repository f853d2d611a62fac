// The vault for consumer secrets and token-signing keys. Access is by Azure RBAC only (no access
// policies). Soft delete with purge protection: a deleted secret name stays taken for the retention
// period, which is why the app never reuses a secret name (docs/architecture.md, Secrets).

@description('Vault name (3-24 letters, digits and hyphens).')
param name string

@description('Region.')
param location string

@description('Tags.')
param tags object

@minValue(7)
@maxValue(90)
@description('Days a deleted secret or vault can be recovered (and its name stays taken).')
param softDeleteRetentionInDays int = 90

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
  }
}

@description('Vault name.')
output name string = vault.name

@description('Vault URI, https://<name>.vault.azure.net/.')
output uri string = vault.properties.vaultUri
