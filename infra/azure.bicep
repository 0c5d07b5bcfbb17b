// Teams Presence in Azure (the dev environment of m365agents.yml; see docs/deploy.md):
//  - a user-assigned managed identity: the bot's identity (no bot secret) and, through a federated
//    credential on the Entra app (scripts/federated-credential.ts), the app's credential for the
//    on-behalf-of exchange (no app secret in the App Service);
//  - an App Service plan and web app on Linux, Node 20, running the server (dist/server/main.js),
//    with the app settings the server reads (server/config.ts ENV_VARS);
//  - a storage account with the server's two tables, which the managed identity may read and write
//    (Storage Table Data Contributor; no account keys) (modules/storage.bicep): the state every
//    instance shares;
//  - a Key Vault key that wraps the data key sealing users' refresh tokens, which the managed identity
//    may wrap and unwrap with and nothing else (modules/keyvault.bicep);
//  - an Azure Bot with the Teams channel and the OAuth connection for Teams SSO (modules/bot.bicep);
//  - a Log Analytics workspace and an Application Insights resource on it, which the server sends its
//    traces and metrics to, and the App Service its console log to (modules/monitoring.bicep).

@description('Lowercase letters and digits appended to resource names; empty: derived from the resource group.')
@maxLength(12)
param resourceSuffix string = ''

@description('Region of the App Service, the managed identity and the storage account (the Azure Bot is global).')
param location string = resourceGroup().location

@description('Client ID of the Teams SSO Entra app (aad.manifest.json): the server\'s BOT_ID.')
param aadAppClientId string

@description('Tenant of the Entra app; the bot, the managed identity and the app are single-tenant in it.')
param tenantId string = tenant().tenantId

@description('The Entra app\'s client secret, used only by the Azure Bot OAuth connection (never by the App Service). Empty: no connection is created (docs/deploy.md, secretless connection).')
@secure()
param aadAppClientSecret string = ''

@description('Name of the Azure Bot OAuth connection; also the server\'s OAUTH_CONNECTION_NAME.')
param oauthConnectionName string = 'graph'

@description('App Service plan SKU (B1 and up for Always On; S1/P1v3 and up for autoscale).')
param appServiceSku string = 'B1'

@description('Storage redundancy: Standard_LRS (one datacenter), Standard_ZRS (across availability zones), or the geo-redundant Standard_GRS / Standard_GZRS.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@minValue(1)
@maxValue(30)
@description('App Service instances. Above 1, read "Running at scale" in docs/deploy.md first.')
param instanceCount int = 1

@minValue(30)
@maxValue(730)
@description('Days the Log Analytics workspace keeps telemetry and logs.')
param logRetentionDays int = 30

@maxLength(42)
param botDisplayName string = 'Teams Presence'

@allowed([
  'debug'
  'info'
  'warn'
  'error'
])
param logLevel string = 'info'

var suffix = empty(resourceSuffix) ? take(uniqueString(resourceGroup().id), 8) : toLower(resourceSuffix)
var baseName = 'presence-${suffix}'
// Storage account names allow 3-24 lowercase letters and digits only (no hyphens) and, like the web
// app's host name, are unique across Azure.
var storageAccountName = take(replace('presence${suffix}', '-', ''), 24)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${baseName}-identity'
  location: location
}

resource plan 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: '${baseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
    capacity: instanceCount
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2022-09-01' = {
  name: baseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false // Bot Framework and tab API calls carry no affinity cookie anyway
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      // The built server, not npm start: the package is mounted read-only (WEBSITE_RUN_FROM_PACKAGE).
      appCommandLine: 'node --disable-warning=DEP0111 dist/server/main.js'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
    }
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageAccountName
    location: location
    sku: storageSku
    principalId: identity.properties.principalId
  }
}

module keyvault 'modules/keyvault.bicep' = {
  name: 'key-vault'
  params: {
    name: take('${baseName}-kv', 24)
    location: location
    tenantId: tenantId
    principalId: identity.properties.principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: baseName
    location: location
    siteId: site.id
    retentionInDays: logRetentionDays
  }
}

var botDomain = site.properties.defaultHostName
var applicationIdUri = 'api://${botDomain}/botid-${aadAppClientId}'

// The server's configuration (server/config.ts ENV_VARS). PORT is set by App Service; HOST,
// AUTHORITY_HOST, GRAPH_BASE_URL, TOKEN_CACHE_SIZE and ALLOWED_TENANTS keep their defaults
// (SingleTenant already limits users to this tenant), and so does AZURE_STORAGE_TABLE_PREFIX (the
// tables modules/storage.bicep creates carry the default prefix). No secret: BOT_PASSWORD is not set,
// nor AZURE_STORAGE_CONNECTION_STRING (the managed identity reaches the tables at AZURE_STORAGE_TABLE_URL).
resource appSettings 'Microsoft.Web/sites/config@2022-09-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    WEBSITE_RUN_FROM_PACKAGE: '1'
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
    NODE_ENV: 'production'
    BOT_ID: aadAppClientId
    MANAGED_IDENTITY_CLIENT_ID: identity.properties.clientId
    BOT_TYPE: 'SingleTenant'
    BOT_TENANT_ID: tenantId
    BOT_DOMAIN: botDomain
    OAUTH_CONNECTION_NAME: oauthConnectionName
    LOG_LEVEL: logLevel
    AZURE_STORAGE_TABLE_URL: storage.outputs.tableEndpoint
    TOKEN_KEY_ID: keyvault.outputs.keyId
    APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  }
}

module bot 'modules/bot.bicep' = {
  name: 'azure-bot'
  params: {
    name: '${baseName}-bot'
    displayName: botDisplayName
    endpoint: 'https://${botDomain}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    tenantId: tenantId
    oauthConnectionName: oauthConnectionName
    ssoClientId: aadAppClientId
    applicationIdUri: applicationIdUri
    ssoClientSecret: aadAppClientSecret
  }
}

// Written to env/.env.dev by arm/deploy.
output BOT_ID string = identity.properties.clientId
output BOT_DOMAIN string = botDomain
output BOT_ENDPOINT string = 'https://${botDomain}'
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = site.id
output MANAGED_IDENTITY_CLIENT_ID string = identity.properties.clientId
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
// For an admin's data requests (docs/deploy.md, storage) and for a server run elsewhere against these tables.
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.accountName
output AZURE_STORAGE_TABLE_URL string = storage.outputs.tableEndpoint
// Where an admin reads the telemetry and the logs (docs/deploy.md, "Monitoring").
output APPLICATION_INSIGHTS_NAME string = monitoring.outputs.insightsName
output LOG_ANALYTICS_WORKSPACE_ID string = monitoring.outputs.workspaceId
