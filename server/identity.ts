import { ManagedIdentityCredential } from '@azure/identity';
import type { ClientCredential } from '../presence/tokens/obo';
import type { AppCredential } from './config';

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
