// Log Analytics and workspace-based Application Insights. Local (instrumentation-key) ingestion is off:
// the app sends telemetry with its managed identity (Monitoring Metrics Publisher role,
// APPLICATIONINSIGHTS_AUTHENTICATION_STRING). The saved queries in infra/queries/ come with the workspace.

@description('Log Analytics workspace name.')
param workspaceName string

@description('Application Insights component name.')
param applicationInsightsName string

@description('Region.')
param location string

@description('Tags.')
param tags object

@minValue(30)
@maxValue(730)
@description('Days the workspace keeps data.')
param retentionInDays int

var savedQueries = [
  {
    name: 'fractal-sign-ins'
    displayName: 'Fractal One: sign-ins and failures'
    query: loadTextContent('../queries/sign-ins.kql')
  }
  {
    name: 'fractal-tool-calls-per-consumer'
    displayName: 'Fractal One: MCP tool calls per consumer'
    query: loadTextContent('../queries/tool-calls-per-consumer.kql')
  }
  {
    name: 'fractal-errors'
    displayName: 'Fractal One: errors'
    query: loadTextContent('../queries/errors.kql')
  }
]

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource queries 'Microsoft.OperationalInsights/workspaces/savedSearches@2020-08-01' = [
  for q in savedQueries: {
    parent: workspace
    name: q.name
    properties: {
      category: 'Fractal One'
      displayName: q.displayName
      query: q.query
      version: 2
    }
  }
]

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: true // only Entra ID (the app's identity) may send telemetry
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

@description('Application Insights component name.')
output applicationInsightsName string = applicationInsights.name

@description('Connection string (an endpoint and a component id, not a credential: local auth is off).')
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
