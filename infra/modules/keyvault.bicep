// The key that wraps the data key sealing users' refresh tokens (server/data-key.ts): a Key Vault with
// Azure RBAC (no access policies), soft delete and purge protection, one RSA key that never leaves it,
// and for the App Service's managed identity only "Key Vault Crypto Service Encryption User" on that key:
// read the key's public part and metadata, wrap and unwrap with it; it cannot sign, decrypt arbitrary data,
// change, export or delete the key, nor reach any other key or secret.

@description('Key Vault name: 3-24 letters, digits and hyphens, unique across Azure.')
@minLength(3)
@maxLength(24)
param name string

param location string

param tenantId string

@description('Principal (object) ID of the managed identity the server signs in with.')
param principalId string

// Built-in role "Key Vault Crypto Service Encryption User": keys/read, keys/wrapKey, keys/unwrapKey only.
var cryptoUserRoleId = 'e147488a-f6f5-4113-8e2d-b22465e65bf6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  properties: {
    tenantId: tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // A key deleted by mistake would make every sealed refresh token unreadable: it can always be recovered.
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource key 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: 'refresh-token-wrap'
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: [
      'wrapKey'
      'unwrapKey'
    ]
  }
}

// Scoped to the key, so the identity can use this key only. A deterministic name: provisioning again
// finds the same assignment.
resource cryptoUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(key.id, principalId, cryptoUserRoleId)
  scope: key
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cryptoUserRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Versionless: the server wraps a new data key with the key's current version and keeps that version's
// ID beside it (server/data-key.ts), so the data key still unwraps after the key is rotated.
output keyId string = key.properties.keyUri
