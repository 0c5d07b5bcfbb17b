// Where the server's telemetry and logs go (docs/deploy.md, "Monitoring"): a Log Analytics workspace, an
// Application Insights resource on it (the server exports OpenTelemetry traces and metrics to it through the
// connection string, telemetry/azure-monitor.ts), and the App Service's console output (the server's JSON log
// lines, each with its correlation ID and, inside a request, the trace ID) sent to the same workspace.

param name string

param location string

@description('Resource ID of the App Service whose console output the workspace keeps.')
param siteId string

@minValue(30)
@maxValue(730)
@description('Days the workspace keeps telemetry and logs.')
param retentionInDays int = 30

@description('Daily ingestion cap in GB; -1: none. A cap drops what comes after it until the next day, errors included.')
param dailyQuotaGb int = -1

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    workspaceCapping: {
      dailyQuotaGb: dailyQuotaGb
    }
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

resource site 'Microsoft.Web/sites@2022-09-01' existing = {
  name: last(split(siteId, '/'))
}

// The server writes one JSON line per event to stdout and stderr: AppServiceConsoleLogs in the workspace.
resource siteLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'console-to-logs'
  scope: site
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
  }
}

output connectionString string = insights.properties.ConnectionString
output workspaceId string = workspace.id
output insightsName string = insights.name
