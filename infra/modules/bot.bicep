// The Azure Bot: registers the messaging endpoint under an app identity, turns on the Teams channel,
// and (given the Entra app's client secret) adds the OAuth connection that Teams SSO uses: its
// Token Exchange URL is the app's Application ID URI, and its sign-in (the fallback card) asks for
// the app's own access_as_user scope, so the server gets the same kind of token either way and
// exchanges it on-behalf-of for Graph.

@description('Azure Bot resource name (2-64 letters, digits, hyphens, underscores, periods).')
param name string

@maxLength(42)
param displayName string

@description('https://{host}/api/messages')
param endpoint string

@description('The bot\'s Microsoft App ID: the managed identity\'s client ID (UserAssignedMSI) or the Entra app\'s (SingleTenant).')
param msaAppId string

@allowed([
  'UserAssignedMSI'
  'SingleTenant'
])
param msaAppType string

@description('Resource ID of the user-assigned managed identity (UserAssignedMSI only).')
param msaAppMSIResourceId string = ''

param tenantId string

@allowed([
  'F0'
  'S1'
])
param sku string = 'F0'

@description('Name of the OAuth connection; the server reads it as OAUTH_CONNECTION_NAME.')
param oauthConnectionName string

@description('The Teams SSO Entra app (client) ID.')
param ssoClientId string

@description('api://{domain}/botid-{ssoClientId}: the Entra app\'s identifier URI and the manifest\'s webApplicationInfo.resource.')
param applicationIdUri string

@description('The Entra app\'s client secret, for the OAuth connection only. Empty: no connection is created here (see docs/deploy.md for the secretless one).')
@secure()
param ssoClientSecret string = ''

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: sku
  }
  properties: {
    displayName: displayName
    endpoint: endpoint
    msaAppId: msaAppId
    msaAppType: msaAppType
    msaAppMSIResourceId: msaAppMSIResourceId // empty for SingleTenant, as in Microsoft's samples
    msaAppTenantId: tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// "Azure Active Directory v2" (service provider 30dd229c-58e3-4a48-bdfd-91ec48eb906c, as in
// Microsoft's Teams SSO samples). Parameters: the tenant and the Token Exchange URL.
resource oauthConnection 'Microsoft.BotService/botServices/connections@2022-09-15' = if (!empty(ssoClientSecret)) {
  parent: bot
  name: oauthConnectionName
  location: 'global'
  properties: {
    serviceProviderDisplayName: 'Azure Active Directory v2'
    serviceProviderId: '30dd229c-58e3-4a48-bdfd-91ec48eb906c'
    clientId: ssoClientId
    clientSecret: ssoClientSecret
    scopes: 'openid profile offline_access ${applicationIdUri}/access_as_user'
    parameters: [
      {
        key: 'tenantID'
        value: tenantId
      }
      {
        key: 'tokenExchangeUrl'
        value: applicationIdUri
      }
    ]
  }
}

output botName string = bot.name
