import { randomBytes } from 'node:crypto';
import type { Server } from 'restify';
import type { RecordStore } from '../presence/store';
import { PresenceEmulator } from './graph/emulator';
import type { FaultPlan } from './graph/faults';
import { persistEmulator } from './graph/persistence';
import { parseSandboxBodies } from './body-parser';
import { registerGraphEmulator, type RecordedRequest } from './graph/routes';
import { SandboxIssuer, type SandboxUser } from './identity/issuer';
import { registerIdentityIssuer } from './identity/routes';
import { registerConsentPage } from './identity/consent-page';
import { registerTeamsHost } from './teams-host/routes';
import { consentUrl, sandboxUrls } from './urls';

export { SANDBOX_USER } from './identity/issuer';
export { connectSandbox } from './remote';

/** What the app needs from a sandbox, whether it is mounted on the app's server or runs in another process (sandbox/remote.ts). */
export interface SandboxStandIns {
  /** Where the production code paths are pointed in sandbox mode. */
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  readonly clientSecret: string;
  /** The sandbox's URLs worth trying, for the start-up banner. */
  readonly urls: Readonly<Record<string, string>>;
  /** What Teams' getAuthToken would return for this user. */
  issueSsoToken(user: SandboxUser): Promise<string>;
  /** The page where a sandbox user grants consent. */
  consentUrl(userId: string): string;
  /** The sandbox clock (the Graph emulator's, which POST /sandbox/graph/_clock advances): the app's clock in sandbox mode. */
  now(): number;
  /** Stops following a remote sandbox's clock. */
  close(): void;
}

export interface Sandbox extends SandboxStandIns {
  readonly issuer: SandboxIssuer;
  readonly emulator: PresenceEmulator;
  /** The Graph emulator's fault rules (what /sandbox/graph/_faults manages). */
  readonly faults: FaultPlan;
  /** The recent Graph requests served (what /sandbox/graph/_requests lists). */
  graphRequests(): readonly RecordedRequest[];
  /** Resolves once the emulator's state (with a user ID: that user's) is saved; nothing to do without a store. */
  flush(userId?: string): Promise<void>;
}

export interface MountOptions {
  readonly baseUrl: string;
  readonly appId: string;
  /** The app's client secret at the sandbox issuer; random by default. */
  readonly clientSecret?: string;
  /** How many recent Graph requests `_requests` keeps (default 500). */
  readonly requestLogSize?: number;
  /** Where the emulator keeps its state across restarts, as Graph would; none: it starts empty each time. */
  readonly store?: RecordStore;
}

/** Mounts the local stand-ins for Microsoft Graph and the identity platform on a (loopback) server: the app's own, or sandbox/standalone.ts. */
export async function mountSandbox(server: Server, options: MountOptions): Promise<Sandbox> {
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const authorityHost = `${options.baseUrl}/sandbox/identity`;
  const emulator = new PresenceEmulator({ appId: options.appId });
  // One sandbox clock: `_clock` ages refresh tokens as it ages presence.
  const issuer = await SandboxIssuer.create({ authorityHost, clientId: options.appId, clientSecret, now: () => emulator.now() });
  const persistence = options.store ? await persistEmulator(emulator, options.store) : undefined;
  const flush = (userId?: string) => persistence?.flush(userId) ?? Promise.resolve();
  parseSandboxBodies(server);
  registerIdentityIssuer(server, issuer);
  registerConsentPage(server, issuer);
  registerTeamsHost(server);
  const graph = registerGraphEmulator(server, {
    emulator,
    verifyToken: (bearer) => issuer.verifyGraphToken(bearer),
    requestLogSize: options.requestLogSize,
    flush,
  });
  return {
    issuer,
    emulator,
    faults: graph.faults,
    graphRequests: () => graph.requests(),
    flush,
    authorityHost,
    graphBaseUrl: `${options.baseUrl}/sandbox/graph/v1.0`,
    clientSecret,
    urls: sandboxUrls(options.baseUrl),
    issueSsoToken: (user) => issuer.issueSsoToken(user),
    consentUrl: (userId) => consentUrl(options.baseUrl, userId),
    now: () => emulator.now(),
    close: () => undefined,
  };
}
