// Parameters for `azd up` (values from the azd environment) and for
// `az deployment group create --resource-group <rg> --parameters infra/main.bicepparam`.
using 'main.bicep'

// location: the resource group's (azd creates the group in AZURE_LOCATION).

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'fractal')
param deployerPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param customDomain = readEnvironmentVariable('FRACTAL_CUSTOM_DOMAIN', '')
param alwaysReadyInstances = int(readEnvironmentVariable('FRACTAL_ALWAYS_READY_INSTANCES', '1'))
