import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { ClientCredential } from '../presence/tokens/obo';
import type { AppConfig, AppCredential } from './config';

/** The audience a managed identity's token needs to serve as a federated client assertion. */
const TOKEN_EXCHANGE_SCOPE = 'api://AzureADTokenExchange/.default';

/** The app's credential for the on-behalf-of exchange: its secret, or a managed identity's federated assertion (no secret). */
export function clientCredential(credential: AppCredential): ClientCredential {
  if (credential.kind === 'secret') return { kind: 'secret', secret: credential.secret };
  const identity = new ManagedIdentityCredential({ clientId: credential.clientId });
  return {
    kind: 'assertion',
    async getAssertion() {
      const token = await identity.getToken(TOKEN_EXCHANGE_SCOPE);
      return token.token;
    },
  };
}

/**
 * How the app signs in to Azure Storage by table URL: its managed identity on App Service (no account key);
 * otherwise the usual chain (environment, workload identity, the developer's Azure CLI sign-in).
 */
export function storageCredential(config: AppConfig): TokenCredential {
  if (config.mode === 'production' && config.credential.kind === 'managedIdentity')
    return new ManagedIdentityCredential({ clientId: config.credential.clientId });
  return new DefaultAzureCredential();
}
