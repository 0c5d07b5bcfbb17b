import { PresenceError } from './errors';
import type { GraphPresence, GraphPresenceApi } from './graph';
import { PresenceLedger, type AppSetting } from './ledger';
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

export type PresenceSource = 'preferred' | 'app' | 'teams';

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
    }
  | { readonly kind: 'cleared'; readonly target: ClearTarget; readonly sessionExisted: boolean }
  | { readonly kind: 'read'; readonly presence: CurrentPresence; readonly preferred?: AppSetting; readonly session?: AppSetting };

export interface PresenceServiceOptions {
  readonly graph: GraphPresenceApi;
  readonly tokens: GraphTokenBroker;
  /** The app's client ID: the sessionId of its own presence session. */
  readonly appId: string;
  readonly logger: Logger;
  readonly ledgerSize?: number;
  readonly now?: () => number;
}

/** The one place that turns a presence request into Graph calls. The bot and the tab's API both call it. */
export class PresenceService {
  private readonly ledger: PresenceLedger;
  private readonly now: () => number;

  constructor(private readonly options: PresenceServiceOptions) {
    this.now = options.now ?? Date.now;
    this.ledger = new PresenceLedger(options.ledgerSize ?? 10_000, this.now);
  }

  async execute(credential: Credential, request: PresenceRequest): Promise<{ identity: Identity; outcome: PresenceOutcome }> {
    validateRequest(request);
    const { identity, graphToken } = await this.token(credential);
    try {
      return { identity, outcome: await this.run(identity, graphToken, request) };
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

  private run(identity: Identity, token: string, request: PresenceRequest): Promise<PresenceOutcome> {
    switch (request.kind) {
      case 'set': return this.set(identity, token, request);
      case 'clear': return this.clear(identity, token, request.target);
      case 'read': return this.read(identity, token);
    }
  }

  private async set(identity: Identity, token: string, request: Extract<PresenceRequest, { kind: 'set' }>): Promise<PresenceOutcome> {
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
    this.ledger.update(identity, def.kind === 'preferred' ? { preferred: setting } : { session: setting });
    const outcome = { kind: 'set' as const, state: request.state, expiresAt, usedDefault, statusMessage: request.statusMessage };
    if (def.kind === 'preferred') return outcome;
    // A session state can be hidden by a preferred status: read back what people now see.
    const seen = await graph.getMyPresence(token);
    const shown = seen.availability === pair.availability && seen.activity === pair.activity;
    return shown ? outcome : { ...outcome, shadowedBy: { availability: seen.availability, activity: seen.activity } };
  }

  private async clear(identity: Identity, token: string, target: ClearTarget): Promise<PresenceOutcome> {
    const { graph, appId } = this.options;
    const before = this.ledger.get(identity);
    const clearsPreferred = target !== 'session';
    const clearsSession = target !== 'preferred';
    const setMessage = [clearsPreferred && before.preferred?.statusMessage, clearsSession && before.session?.statusMessage].some(Boolean);
    const [, session] = await Promise.all([
      clearsPreferred ? graph.clearUserPreferredPresence(token, identity.userId) : undefined,
      clearsSession ? graph.clearPresence(token, identity.userId, appId) : undefined,
      setMessage ? graph.setStatusMessage(token, identity.userId, '') : undefined,
    ]);
    this.ledger.update(identity, { ...(clearsPreferred ? { preferred: null } : {}), ...(clearsSession ? { session: null } : {}) });
    return { kind: 'cleared', target, sessionExisted: session === 'cleared' };
  }

  private async read(identity: Identity, token: string): Promise<PresenceOutcome> {
    const seen = await this.options.graph.getMyPresence(token);
    const { preferred, session } = this.ledger.get(identity);
    return { kind: 'read', presence: { ...pairOf(seen), source: sourceOf(seen, preferred, session), statusMessage: messageOf(seen) }, preferred, session };
  }
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
