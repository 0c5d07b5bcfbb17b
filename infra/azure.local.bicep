// Local debugging through a dev tunnel (m365agents.local.yml): only an Azure Bot, pointing at the
// tunnel, with the Entra app itself as the bot's identity (SingleTenant; the server gets its client
// secret as BOT_PASSWORD in .localConfigs, since a managed identity cannot sign in from a laptop),
// the Teams channel and the OAuth connection for Teams SSO.

@description('Lowercase letters and digits appended to the bot name; empty: derived from the resource group.')
@maxLength(12)
param resourceSuffix string = ''

@description('Client ID of the Entra app (aad.manifest.json): the bot\'s Microsoft App ID and the server\'s BOT_ID.')
param aadAppClientId string

param tenantId string = tenant().tenantId

@secure()
param aadAppClientSecret string

@description('The dev tunnel host, e.g. abc123-3978.usw2.devtunnels.ms (BOT_DOMAIN).')
param botDomain string

param oauthConnectionName string = 'graph'

@maxLength(42)
param botDisplayName string = 'Teams Presence (local)'

var suffix = empty(resourceSuffix) ? take(uniqueString(resourceGroup().id), 8) : toLower(resourceSuffix)

module bot 'modules/bot.bicep' = {
  name: 'azure-bot-local'
  params: {
    name: 'presence-local-${suffix}-bot'
    displayName: botDisplayName
    endpoint: 'https://${botDomain}/api/messages'
    msaAppType: 'SingleTenant'
    msaAppId: aadAppClientId
    tenantId: tenantId
    oauthConnectionName: oauthConnectionName
    ssoClientId: aadAppClientId
    applicationIdUri: 'api://${botDomain}/botid-${aadAppClientId}'
    ssoClientSecret: aadAppClientSecret
  }
}

output BOT_AZURE_BOT_NAME string = bot.outputs.botName
