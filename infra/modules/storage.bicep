// The app's durable state (presence/store.ts, storage/table-store.ts): one storage account with the two
// tables the server uses, reached only with Microsoft Entra tokens. The App Service's user-assigned
// managed identity gets Storage Table Data Contributor on the account; no account key is ever handed
// out (shared key access is off), so there is no storage secret to keep, rotate or leak.

@description('Storage account name: 3-24 lowercase letters and digits, unique across Azure.')
@minLength(3)
@maxLength(24)
param name string

param location string

@description('Redundancy. Standard_LRS keeps three copies in one datacenter; Standard_ZRS spreads them over the region\'s availability zones (where the region has them).')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param sku string = 'Standard_LRS'

@description('Principal (object) ID of the managed identity the server signs in with.')
param principalId string

// The server's tables, named as server/config.ts names them with the default AZURE_STORAGE_TABLE_PREFIX
// (presence), which the App Service leaves alone. The server creates them too when absent, but creating
// them here means its role never needs more than the data actions.
var tableNames = [
  'presenceusers' // per user: what the app set and until when, status message, 1:1 conversation, locale, time zone
  'presencetransient' // short-lived, with an expiry: Teams SSO exchange claims, commands waiting for sign-in
  'presencejobs' // the timers' due-time index (reminders): one row per planned job, its address and lease
]

// Built-in role "Storage Table Data Contributor": read, write and delete entities, create tables.
var tableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: {
    name: sku
  }
  properties: {
    allowSharedKeyAccess: false // Entra ID only: no account keys, no connection strings, no SAS signed with a key
    defaultToOAuthAuthentication: true // the portal's data browser signs in with Entra ID too
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false // the app stores nothing in blobs; no anonymous reads if someone adds some
    allowCrossTenantReplication: false
    // The App Service reaches the account over its public endpoint (no VNet integration here); every
    // request still needs a token for a principal that holds a data role on the account.
    publicNetworkAccess: 'Enabled'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for tableName in tableNames: {
  parent: tableService
  name: tableName
}]

// Scoped to the account (not the resource group): the identity can reach this account's data only.
// The name is a deterministic guid, so provisioning again finds the same assignment instead of
// failing on a duplicate. principalType lets ARM assign the role to an identity created moments ago,
// before Entra ID has replicated it.
resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, tableDataContributorRoleId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableDataContributorRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output accountName string = account.name
// https://{account}.table.core.windows.net/ (with the trailing slash; server/config.ts strips it).
output tableEndpoint string = account.properties.primaryEndpoints.table
