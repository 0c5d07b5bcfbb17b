import { randomBytes } from 'node:crypto';
import type { Server } from 'restify';
import { PresenceEmulator } from './graph/emulator';
import { registerGraphEmulator } from './graph/routes';
import { SANDBOX_USER, SandboxIssuer } from './identity/issuer';
import { registerIdentityIssuer } from './identity/routes';
import { registerConsentPage } from './identity/consent-page';

export { SANDBOX_USER } from './identity/issuer';

export interface Sandbox {
  readonly issuer: SandboxIssuer;
  readonly emulator: PresenceEmulator;
  /** Where the production code paths are pointed in sandbox mode. */
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  readonly clientSecret: string;
  readonly urls: Readonly<Record<string, string>>;
}

/** Mounts the local stand-ins for Microsoft Graph and the identity platform on the app's own (loopback) server. */
export async function mountSandbox(server: Server, options: { baseUrl: string; appId: string }): Promise<Sandbox> {
  const clientSecret = randomBytes(24).toString('base64url');
  const authorityHost = `${options.baseUrl}/sandbox/identity`;
  const issuer = await SandboxIssuer.create({ authorityHost, clientId: options.appId, clientSecret });
  const emulator = new PresenceEmulator({ appId: options.appId });
  registerIdentityIssuer(server, issuer);
  registerConsentPage(server, issuer);
  registerGraphEmulator(server, { emulator, verifyToken: (bearer) => issuer.verifyGraphToken(bearer) });
  const graph = `${options.baseUrl}/sandbox/graph`;
  return {
    issuer,
    emulator,
    authorityHost,
    graphBaseUrl: `${graph}/v1.0`,
    clientSecret,
    urls: {
      'Bot endpoint': `${options.baseUrl}/api/messages`,
      'Graph emulator': `${graph}/v1.0`,
      'Your presence state': `${graph}/_state/users/${SANDBOX_USER.userId}`,
      'Graph requests served': `${graph}/_requests`,
      'Emulator clock': `${graph}/_clock`,
      'Identity issuer': authorityHost,
    },
  };
}
