import { randomUUID } from 'node:crypto';
import { PresenceError } from './errors';
import type { GraphPresence, GraphPresenceApi } from './graph';
import type { AppSetting, LedgerChange, PresenceLedger, UserContact, UserRecord } from './ledger';
import type { Logger } from './log';
import { STATES, defaultDurationMs, type Activity, type Availability, type PresencePair, type StateName } from './model';
import { toIsoDuration } from './duration';
import { validateRequest, type ClearTarget, type PresenceRequest } from './request';
import type { GraphTokenBroker } from './tokens/broker';
import type { Identity } from './tokens/identity';

/** How the caller proves who the user is. */
export type Credential =
  /** A Teams SSO token (validated here): the tab's API, and the bot right after SSO. */
  | { readonly kind: 'sso'; readonly ssoToken: string; readonly expected?: Identity }
  /** A user the channel already authenticated (a Bot Framework activity): only a cached Graph token will do, else `sso_required`. */
  | { readonly kind: 'known'; readonly identity: Identity };

/** Who set what is showing; `unknown` when the app's own record could not be read. */
export type PresenceSource = 'preferred' | 'app' | 'teams' | 'unknown';

/** Graph did what was asked, but the app's record of it could not be read or written (the store is down). */
export interface StoreFailure {
  /** Also in the log line that has the detail. */
  readonly correlationId: string;
}

export interface CurrentPresence {
  readonly availability: Availability;
  readonly activity: Activity;
  /** Who set what is showing: this app's preferred status, this app's session, or Teams itself (clients, calendar, the user in Teams). */
  readonly source: PresenceSource;
  readonly statusMessage?: string;
}

export type PresenceOutcome =
  | {
      readonly kind: 'set';
      readonly state: StateName;
      readonly expiresAt: Date;
      /** True when the user gave no duration and the default applied. */
      readonly usedDefault: boolean;
      readonly statusMessage?: string;
      /** A session state that a higher-precedence presence (a preferred status) hides. */
      readonly shadowedBy?: PresencePair;
      /** Set in Graph, but not recorded: `status` will not know its end time. */
      readonly storeFailure?: StoreFailure;
    }
  | { readonly kind: 'cleared'; readonly target: ClearTarget; readonly sessionExisted: boolean; readonly storeFailure?: StoreFailure }
  | {
      readonly kind: 'read';
      readonly presence: CurrentPresence;
      readonly preferred?: AppSetting;
      readonly session?: AppSetting;
      /** The app's record could not be read: what it set, and until when, is unknown. */
      readonly storeFailure?: StoreFailure;
    }
  | { readonly kind: 'forgotten'; readonly records: number };

/** What a front door knows of the user beyond the credential: where to reach them later (the bot's 1:1 chat). */
export interface ExecuteContext {
  readonly contact?: UserContact;
}

export interface PresenceServiceOptions {
  readonly graph: GraphPresenceApi;
  readonly tokens: GraphTokenBroker;
  /** The app's client ID: the sessionId of its own presence session. */
  readonly appId: string;
  readonly logger: Logger;
  /** The app's durable record per user (presence/ledger.ts, on the store). */
  readonly ledger: PresenceLedger;
  readonly now?: () => number;
}

/** The one place that turns a presence request into Graph calls. The bot and the tab's API both call it. */
export class PresenceService {
  private readonly ledger: PresenceLedger;
  private readonly now: () => number;

  constructor(private readonly options: PresenceServiceOptions) {
    this.now = options.now ?? Date.now;
    this.ledger = options.ledger;
  }

  async execute(credential: Credential, request: PresenceRequest, context: ExecuteContext = {}): Promise<{ identity: Identity; outcome: PresenceOutcome }> {
    validateRequest(request);
    // Forgetting needs only to know who the user is: a channel-authenticated sender needs no Graph token for it.
    if (request.kind === 'forget' && credential.kind === 'known') return { identity: credential.identity, outcome: await this.forget(credential.identity) };
    const { identity, graphToken } = await this.token(credential);
    try {
      return { identity, outcome: await this.run(identity, graphToken, request, context.contact) };
    } catch (err) {
      if (err instanceof PresenceError && err.code === 'token_expired') this.options.tokens.evict(identity);
      throw err;
    }
  }

  private async token(credential: Credential): Promise<{ identity: Identity; graphToken: string }> {
    if (credential.kind === 'sso') {
      const result = await this.options.tokens.fromSso(credential.ssoToken);
      const { expected } = credential;
      if (expected && (expected.userId !== result.identity.userId || expected.tenantId !== result.identity.tenantId)) {
        throw new PresenceError('unauthenticated', { detail: 'sso token is for another user than the sender' });
      }
      return result;
    }
    const graphToken = this.options.tokens.cached(credential.identity);
    if (!graphToken) throw new PresenceError('sso_required');
    return { identity: credential.identity, graphToken };
  }

  private run(identity: Identity, token: string, request: PresenceRequest, contact?: UserContact): Promise<PresenceOutcome> {
    switch (request.kind) {
      case 'set': return this.set(identity, token, request, contact);
      case 'clear': return this.clear(identity, token, request.target, contact);
      case 'read': return this.read(identity, token, contact);
      case 'forget': return this.forget(identity);
    }
  }

  private async set(identity: Identity, token: string, request: Extract<PresenceRequest, { kind: 'set' }>, contact?: UserContact): Promise<PresenceOutcome> {
    const { graph, appId } = this.options;
    const def = STATES[request.state];
    const pair = { availability: def.availability, activity: def.activity };
    const usedDefault = request.durationMs === undefined;
    const durationMs = request.durationMs ?? defaultDurationMs(request.state);
    const expiresAt = new Date(this.now() + durationMs);
    // Without a duration the preferred presence is left to Graph's own default, which the reply reports.
    const expirationDuration = usedDefault && def.kind === 'preferred' ? undefined : toIsoDuration(durationMs);
    const calls: Promise<unknown>[] = [
      def.kind === 'preferred'
        ? graph.setUserPreferredPresence(token, identity.userId, { ...pair, expirationDuration })
        : graph.setPresence(token, identity.userId, { sessionId: appId, ...pair, expirationDuration }),
    ];
    if (request.statusMessage) calls.push(graph.setStatusMessage(token, identity.userId, request.statusMessage, expiresAt));
    await Promise.all(calls);
    const setting: AppSetting = { state: request.state, expiresAt, statusMessage: request.statusMessage };
    const storeFailure = await this.record(identity, { ...(def.kind === 'preferred' ? { preferred: setting } : { session: setting }), contact });
    const outcome = { kind: 'set' as const, state: request.state, expiresAt, usedDefault, statusMessage: request.statusMessage, ...(storeFailure ? { storeFailure } : {}) };
    if (def.kind === 'preferred') return outcome;
    // A session state can be hidden by a preferred status: read back what people now see.
    const seen = await graph.getMyPresence(token);
    const shown = seen.availability === pair.availability && seen.activity === pair.activity;
    return shown ? outcome : { ...outcome, shadowedBy: { availability: seen.availability, activity: seen.activity } };
  }

  private async clear(identity: Identity, token: string, target: ClearTarget, contact?: UserContact): Promise<PresenceOutcome> {
    const { graph, appId } = this.options;
    // Without the record it is unknown whether this app set a status message: clear it to be safe.
    const before = await this.ledger.get(identity).catch((err: unknown) => void this.storeFailed('read before reset', identity, err));
    const clearsPreferred = target !== 'session';
    const clearsSession = target !== 'preferred';
    const setMessage = !before || [clearsPreferred && before.preferred?.statusMessage, clearsSession && before.session?.statusMessage].some(Boolean);
    const [, session] = await Promise.all([
      clearsPreferred ? graph.clearUserPreferredPresence(token, identity.userId) : undefined,
      clearsSession ? graph.clearPresence(token, identity.userId, appId) : undefined,
      setMessage ? graph.setStatusMessage(token, identity.userId, '') : undefined,
    ]);
    const storeFailure = await this.record(identity, { ...(clearsPreferred ? { preferred: null } : {}), ...(clearsSession ? { session: null } : {}), contact });
    return { kind: 'cleared', target, sessionExisted: session === 'cleared', ...(storeFailure ? { storeFailure } : {}) };
  }

  /** One Graph read and one store read, side by side; the store is written only when the contact changed. */
  private async read(identity: Identity, token: string, contact?: UserContact): Promise<PresenceOutcome> {
    let storeFailure: StoreFailure | undefined;
    const [seen, record] = await Promise.all([
      this.options.graph.getMyPresence(token),
      this.ledger.get(identity).catch((err: unknown): UserRecord | undefined => {
        storeFailure = this.storeFailed('read', identity, err);
        return undefined;
      }),
    ]);
    if (record && contact && !sameContact(record.contact, contact)) await this.record(identity, { contact });
    const preferred = record?.preferred;
    const session = record?.session;
    const source = record ? sourceOf(seen, preferred, session) : 'unknown';
    return { kind: 'read', presence: { ...pairOf(seen), source, statusMessage: messageOf(seen) }, preferred, session, ...(storeFailure ? { storeFailure } : {}) };
  }

  private async forget(identity: Identity): Promise<PresenceOutcome> {
    const records = await this.ledger.forget(identity).catch((err: unknown) => {
      const { correlationId } = this.storeFailed('forget', identity, err);
      throw new PresenceError('storage_unavailable', { detail: `forget failed, correlation ${correlationId}` });
    });
    this.options.tokens.evict(identity);
    this.options.logger.info('user data deleted', { records });
    return { kind: 'forgotten', records };
  }

  /** Writes a change to the user's record; a failure is reported in the outcome (Graph already changed), not thrown. */
  private async record(identity: Identity, change: LedgerChange): Promise<StoreFailure | undefined> {
    try {
      await this.ledger.update(identity, change);
      return undefined;
    } catch (err) {
      return this.storeFailed('write', identity, err);
    }
  }

  private storeFailed(operation: string, identity: Identity, err: unknown): StoreFailure {
    const correlationId = randomUUID();
    // A StoreError's code and detail (an HTTP status, a socket error code) are safe to log; nothing else of it is kept.
    const { code, detail } = (err ?? {}) as { code?: unknown; detail?: unknown };
    this.options.logger.error('store failed', {
      correlationId, operation, tenantId: identity.tenantId,
      storeCode: typeof code === 'string' ? code : undefined, storeDetail: typeof detail === 'string' ? detail : undefined,
    });
    return { correlationId };
  }
}

function sameContact(a: UserContact | undefined, b: UserContact): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function pairOf(p: GraphPresence): { availability: Availability; activity: Activity } {
  return { availability: p.availability, activity: p.activity };
}

function matches(p: GraphPresence, setting?: AppSetting): boolean {
  return !!setting && STATES[setting.state].availability === p.availability && STATES[setting.state].activity === p.activity;
}

function sourceOf(p: GraphPresence, preferred?: AppSetting, session?: AppSetting): PresenceSource {
  if (matches(p, preferred)) return 'preferred';
  if (matches(p, session)) return 'app';
  return 'teams';
}

function messageOf(p: GraphPresence): string | undefined {
  const content = p.statusMessage?.message?.content;
  return content ? content : undefined;
}
