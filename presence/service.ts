import { randomUUID } from 'node:crypto';
import { Deadline } from './deadline';
import { ERROR_CODES, PresenceError, asPresenceError } from './errors';
import type { GraphCall, GraphPresence, GraphPresenceApi } from './graph';
import {
  comesBack,
  needsRefreshToken,
  MAX_PLANNED,
  type AppSetting,
  type LedgerChange,
  type PlannedStatus,
  type PresenceLedger,
  type Slot,
  type UserContact,
  type UserRecord,
} from './ledger';
import type { Logger } from './log';
import type { JobScheduler } from './jobs';
import { reminderLead, type Reminders } from './reminders';
import { GRAPH_RULES, SCHEDULE_AHEAD_MAX_MS, STATES, defaultDurationMs, durationLimits, type Activity, type Availability, type PresencePair } from './model';
import { toIsoDuration } from './duration';
import { validateRequest, type ClearTarget, type PresenceRequest } from './request';
import type { ClearPart, PartFailure, PresenceOutcome, PresenceSnapshot, PresenceSource, SetPart, StoreFailure } from './outcome';
import type { GraphTokenBroker } from './tokens/broker';
import type { RefreshTokens } from './tokens/refresh-tokens';
import { withoutUndefined } from './record-codec';
import { dueAct, type Timer, type TimerPlanner, type TimerRunner } from './timers';
import { identityKey, type Identity } from './tokens/identity';
import { DEFAULT_TENANT_LIMITS, TenantBudget, type TenantLimits } from './graph-budget';
import { RateLimiter, type BucketLimits } from './rate-limit';
import { NO_TELEMETRY, failureOf, tracedLogger, type Span, type Telemetry } from './telemetry';

/** How the caller proves who the user is. */
export type Credential =
  /** A Teams SSO token (validated here): the tab's API, and the bot right after SSO. */
  | { readonly kind: 'sso'; readonly ssoToken: string; readonly expected?: Identity }
  /** A user the channel already authenticated (a Bot Framework activity): only a cached Graph token will do, else `sso_required`. */
  | { readonly kind: 'known'; readonly identity: Identity };

/**
 * A caller `authenticate` has admitted: who they are, and either a Graph token already in hand or the validated
 * SSO token to exchange for one. The tab's API reads the body only then, and an exchange happens only for a
 * request worth running.
 */
export interface Caller {
  readonly kind: 'caller';
  readonly identity: Identity;
  readonly token: { readonly graphToken: string } | { readonly ssoToken: string };
  readonly deadline: Deadline;
}

/** The fair-use limits: commands per user (every front door together), and Graph calls per tenant. */
export interface ServiceLimits {
  readonly user: BucketLimits;
  readonly tenant: TenantLimits;
}

/** 20 commands at once, then one every 2 seconds: far more than a person clicks or types, a sliver of a tenant's Graph budget. */
export const DEFAULT_LIMITS: ServiceLimits = { user: { burst: 20, perSecond: 0.5 }, tenant: DEFAULT_TENANT_LIMITS };

/** What a front door knows of the user beyond the credential: where to reach them later (the bot's 1:1 chat). */
export interface ExecuteContext {
  readonly contact?: UserContact;
  /** The span the command is part of: the inbound request's (edge/trace-requests.ts). */
  readonly trace?: Span;
}

export interface PresenceServiceOptions {
  readonly graph: GraphPresenceApi;
  readonly tokens: GraphTokenBroker;
  /** The app's client ID: the sessionId of its own presence session. */
  readonly appId: string;
  readonly logger: Logger;
  /** The app's durable record per user (presence/ledger.ts, on the store). */
  readonly ledger: PresenceLedger;
  /** Fair use: commands per user, Graph calls per tenant (default DEFAULT_LIMITS). */
  readonly limits?: ServiceLimits;
  readonly now?: () => number;
  /** One budget per command for all its Graph calls, their retries and the token exchange (default 10 s). */
  readonly deadlineMs?: number;
  /** Plans the reminder of each timed status set (presence/reminders.ts); none: no reminders. */
  readonly reminders?: Pick<Reminders, 'plan'>;
  /** The timers, whose jobs of a user `forget me` deletes too. */
  readonly jobs?: Pick<JobScheduler, 'forget'>;
  /**
   * The timers that act in Graph later (presence/timers.ts) and the refresh tokens they act with. None: sessions
   * end at Graph's 4 hours, nothing comes back, nothing can be planned.
   */
  readonly timers?: { readonly planner: Pick<TimerPlanner, 'renewal' | 'restore' | 'start'>; readonly refreshTokens: OfflineTokens };
  /** A span and a count per command, a count per refusal by the fair-use limits (default: none). */
  readonly telemetry?: Telemetry;
}

/** The refresh tokens the timers act with (presence/tokens/refresh-tokens.ts). */
export type { ClearPart, PartFailure, PresenceOutcome, PresenceSource, SetPart, StoreFailure } from './outcome';

export type OfflineTokens = Pick<RefreshTokens, 'has' | 'keep' | 'graphToken' | 'forget'>;

/** What a set needs beyond the request: where to reach the user, what else to record, and whether a refresh token is known kept. */
interface SetOptions {
  readonly contact?: UserContact;
  /** Recorded in the same write (a planned status that starts: its plan is removed). */
  readonly also?: LedgerChange;
  /** Known from this command (kept or just redeemed); undefined: asked of the store, if something will need it. */
  readonly refreshTokenKept?: boolean;
}

/** Requests that reach no Graph API: they need only to know who the user is (no Graph token, no exchange for one). */
type WithoutGraph = Extract<PresenceRequest, { kind: 'forget' | 'reminders' | 'planned' | 'unplan' }>;
const WITHOUT_GRAPH = new Set<string>(['forget', 'reminders', 'planned', 'unplan']);
const withoutGraph = (request: PresenceRequest): request is WithoutGraph => WITHOUT_GRAPH.has(request.kind);

/** Within Teams' 15 s for a bot's answer, with room for the reply itself. */
const DEFAULT_DEADLINE_MS = 10_000;

/** The one place that turns a presence request into Graph calls. The bot and the tab's API both call it. */
export class PresenceService implements TimerRunner {
  private readonly ledger: PresenceLedger;
  private readonly now: () => number;
  private readonly users: RateLimiter;
  private readonly tenants: TenantBudget;
  private readonly telemetry: Telemetry;

  constructor(private readonly options: PresenceServiceOptions) {
    this.now = options.now ?? Date.now;
    this.telemetry = options.telemetry ?? NO_TELEMETRY;
    this.ledger = options.ledger;
    const limits = options.limits ?? DEFAULT_LIMITS;
    this.users = new RateLimiter(limits.user, 100_000, this.now);
    this.tenants = new TenantBudget(limits.tenant, this.now);
  }

  /**
   * Who the caller is (an SSO token is validated; a known sender needs a cached Graph token), within their fair
   * share of commands (`rate_limited` past it). The command's deadline starts here and goes with the caller.
   */
  async authenticate(credential: Credential): Promise<Caller> {
    const deadline = this.startDeadline();
    if (credential.kind === 'sso') {
      const identity = await this.options.tokens.validate(credential.ssoToken, credential.expected);
      this.admitUser(identity);
      return { kind: 'caller', identity, token: { ssoToken: credential.ssoToken }, deadline };
    }
    const graphToken = this.options.tokens.cached(credential.identity);
    // Charged once a token is in hand: a sender with none yet (sso_required) comes back with an SSO token, and pays then.
    if (!graphToken) throw new PresenceError('sso_required');
    this.admitUser(credential.identity);
    return { kind: 'caller', identity: credential.identity, token: { graphToken }, deadline };
  }

  /**
   * Runs one request: for a Credential, `authenticate` first; for a Caller, under the deadline it brought. One span
   * per command, and a count by kind and outcome (the outcome's kind, or the error's code).
   */
  execute(credential: Credential | Caller, request: PresenceRequest, context: ExecuteContext = {}): Promise<{ identity: Identity; outcome: PresenceOutcome }> {
    const { kind } = request;
    return this.telemetry.span(`presence ${kind}`, { attributes: { 'app.command': kind }, parent: context.trace }, async (span) => {
      try {
        const result = await this.command(credential, request, context, span);
        const { outcome } = result;
        const partial = (outcome.kind === 'set' || outcome.kind === 'cleared') && Boolean(outcome.partial?.length || outcome.storeFailure);
        span.set({ 'app.outcome': outcome.kind, 'app.partial': partial });
        this.telemetry.count('commands', { kind, outcome: outcome.kind });
        return result;
      } catch (err) {
        this.telemetry.count('commands', { kind, outcome: failureOf(err).code });
        throw err;
      }
    });
  }

  private async command(
    credential: Credential | Caller,
    request: PresenceRequest,
    context: ExecuteContext,
    trace: Span,
  ): Promise<{ identity: Identity; outcome: PresenceOutcome }> {
    validateRequest(request);
    // A channel-authenticated sender is charged a command here; a caller already was, when it authenticated.
    if (withoutGraph(request) && credential.kind !== 'sso') {
      if (credential.kind === 'known') this.admitUser(credential.identity);
      return { identity: credential.identity, outcome: await this.withoutGraph(credential.identity, request, trace) };
    }
    const { identity, token, deadline } = credential.kind === 'caller' ? credential : await this.authenticate(credential);
    if (withoutGraph(request)) return { identity, outcome: await this.withoutGraph(identity, request, trace) };
    if (request.kind === 'plan') {
      // Refused before an exchange is spent on it.
      this.checkPlanStart(request.startAt);
      await this.offlineAccess(identity, token, deadline, trace);
      return { identity, outcome: await this.plan(identity, request, trace) };
    }
    const resolved = request.kind === 'extend' ? await this.extend(identity, request, trace) : request;
    // Without timers nothing renews a session: Graph's 4 hours are the limit.
    if (resolved.kind === 'set' && !this.options.timers && STATES[resolved.state].kind === 'session' && (resolved.durationMs ?? 0) > GRAPH_RULES.session.maxMs)
      throw new PresenceError('invalid_request', { field: 'timers', detail: 'no timers to renew the session past 4 hours' });
    this.admitTenant(identity, graphCalls(resolved));
    // A set that plans a timer acting in Graph later needs the user's refresh token: the exchange that gets it brings the Graph token too.
    const offline =
      resolved.kind === 'set' && (await this.plansTimers(identity, resolved, trace)) ? await this.offlineAccess(identity, token, deadline, trace) : undefined;
    const graphToken =
      offline?.graphToken ?? ('graphToken' in token ? token.graphToken : await this.options.tokens.graphToken(identity, token.ssoToken, deadline, trace));
    try {
      const options = { contact: context.contact, refreshTokenKept: offline?.kept };
      return { identity, outcome: await this.run(identity, { token: graphToken, deadline, trace }, resolved, options) };
    } catch (err) {
      throw this.graphFailed(identity, err);
    }
  }

  /** What a Graph failure teaches the service: a rejected token is dropped; Graph's throttling holds the tenant back here. */
  private graphFailed(identity: Identity, err: unknown): unknown {
    if (err instanceof PresenceError && err.code === 'token_expired') this.options.tokens.evict(identity);
    // Graph throttled this tenant: its other users' commands wait here instead of being refused by Graph too.
    if (err instanceof PresenceError && err.code === 'throttled' && err.retryAfterSeconds !== undefined) {
      this.tenants.throttled(identity.tenantId, err.retryAfterSeconds);
    }
    return err;
  }

  private admitUser(identity: Identity): void {
    const wait = this.users.take(identityKey(identity));
    if (wait === 0) return;
    this.telemetry.count('rateLimited', { scope: 'user' });
    throw new PresenceError('rate_limited', { retryAfterSeconds: wait, detail: 'user over their command rate' });
  }

  /** Charges the tenant's Graph budget on this instance; spent, the command waits (throttled) rather than Graph refusing it. */
  private admitTenant(identity: Identity, calls: number): void {
    const wait = this.tenants.admit(identity.tenantId, calls);
    if (wait === 0) return;
    this.telemetry.count('rateLimited', { scope: 'tenant' });
    throw new PresenceError('throttled', { retryAfterSeconds: wait, detail: "tenant's graph budget on this instance is spent" });
  }

  private startDeadline(): Deadline {
    return Deadline.after(this.options.deadlineMs ?? DEFAULT_DEADLINE_MS, this.now);
  }

  private run(
    identity: Identity,
    call: GraphCall,
    request: Extract<PresenceRequest, { kind: 'set' | 'clear' | 'read' }>,
    options: SetOptions,
  ): Promise<PresenceOutcome> {
    switch (request.kind) {
      case 'set':
        return this.set(identity, call, request, options);
      case 'clear':
        return this.clear(identity, call, request.target, options.contact);
      case 'read':
        return this.read(identity, call, options.contact);
    }
  }

  private withoutGraph(identity: Identity, request: WithoutGraph, trace: Span): Promise<PresenceOutcome> {
    switch (request.kind) {
      case 'forget':
        return this.forget(identity, trace);
      case 'reminders':
        return this.reminderSetting(identity, request.leadMs, trace);
      case 'planned':
        return this.readRecord(identity, 'read plans', trace).then((record) => ({ kind: 'planned', planned: record.planned ?? [] }));
      case 'unplan':
        return this.unplan(identity, request.id, trace);
    }
  }

  /**
   * Whether setting this plans a timer that acts in Graph later: a session past Graph's 4 hours (renewals), or a
   * status that replaces one of this app's that outlives it (which comes back). Read from this instance's copy of
   * the record, which the set reads anyway.
   */
  private async plansTimers(identity: Identity, request: Extract<PresenceRequest, { kind: 'set' }>, trace: Span): Promise<boolean> {
    if (!this.options.timers) return false;
    const def = STATES[request.state];
    const durationMs = request.durationMs ?? defaultDurationMs(request.state);
    if (def.kind === 'session' && durationMs > GRAPH_RULES.session.maxMs) return true;
    const record = await this.ledger.latest(identity, trace).catch(() => undefined);
    if (!record) return false;
    const next = { state: request.state, expiresAt: new Date(this.now() + durationMs) };
    return comesBack(next, record[def.kind], record.underneath?.[def.kind] ?? []).length > 0;
  }

  /**
   * Makes sure a refresh token is kept for the user's timers. When none is: the one the cached Graph token's
   * exchange brought is kept (every exchange asks for offline access where timers are on); failing that, an SSO
   * caller's token is exchanged again with offline access (the Graph token it returns is this command's), and a
   * caller with only a cached Graph token is asked for an SSO token (sso_required). Undefined unless it exchanged.
   */
  private async offlineAccess(identity: Identity, token: Caller['token'], deadline: Deadline, trace: Span): Promise<{ kept: boolean; graphToken?: string }> {
    const refresh = this.timers().refreshTokens;
    if (await refresh.has(identity, trace).catch(() => false)) return { kept: true };
    // The exchange that brought the cached Graph token asked for offline access: its refresh token is kept now.
    const held = this.options.tokens.takeRefreshToken(identity);
    if (held) return { kept: await this.keepRefreshToken(identity, held, trace) };
    if (!('ssoToken' in token)) throw new PresenceError('sso_required', { detail: 'a timer needs offline access' });
    const fresh = await this.options.tokens.offlineToken(identity, token.ssoToken, deadline, trace);
    if (!fresh.refreshToken) this.log(trace).warn('no refresh token in the exchange: timers will ask to sign in', { tenantId: identity.tenantId });
    return { kept: !!fresh.refreshToken && (await this.keepRefreshToken(identity, fresh.refreshToken, trace)), graphToken: fresh.accessToken };
  }

  /** Keeps a refresh token sealed; false (logged) when the store refused it. */
  private keepRefreshToken(identity: Identity, refreshToken: string, trace: Span): Promise<boolean> {
    return this.timers()
      .refreshTokens.keep(identity, refreshToken, trace)
      .then(
        () => true,
        (err: unknown) => (this.storeFailed('keep refresh token', identity, err, trace), false),
      );
  }

  private timers(): NonNullable<PresenceServiceOptions['timers']> {
    const { timers } = this.options;
    if (!timers) throw new PresenceError('invalid_request', { field: 'timers', detail: 'no timers on this instance' });
    return timers;
  }

  /** Plans a status ahead: the timer first, then the record (a timer whose plan was never recorded finds none: a no-op). */
  private async plan(identity: Identity, request: Extract<PresenceRequest, { kind: 'plan' }>, trace: Span): Promise<PresenceOutcome> {
    this.checkPlanStart(request.startAt);
    const record = await this.readRecord(identity, 'read before plan', trace);
    if ((record.planned?.length ?? 0) >= MAX_PLANNED) throw new PresenceError('invalid_request', { field: 'planned', detail: 'too many planned' });
    const added: PlannedStatus = withoutUndefined({
      id: randomUUID(),
      state: request.state,
      startAt: request.startAt,
      endAt: request.endAt,
      statusMessage: request.statusMessage,
    });
    const after = await this.timers()
      .planner.start(identity, added, trace)
      .then(() => this.ledger.update(identity, { plan: added }, trace))
      .catch((err: unknown) => {
        const { correlationId } = this.storeFailed('plan', identity, err, trace);
        throw new PresenceError('storage_unavailable', { detail: `plan, correlation ${correlationId}` });
      });
    return { kind: 'planned', planned: after.planned ?? [], added };
  }

  /** A plan starts in the future, within SCHEDULE_AHEAD_MAX_MS (invalid_request on startAt otherwise). */
  private checkPlanStart(startAt: Date): void {
    const ahead = startAt.getTime() - this.now();
    if (!(ahead > 0 && ahead <= SCHEDULE_AHEAD_MAX_MS)) throw new PresenceError('invalid_request', { field: 'startAt' });
  }

  /** Cancels a planned status (the next one without an ID): its timer finds no plan and does nothing. */
  private async unplan(identity: Identity, id: string | undefined, trace: Span): Promise<PresenceOutcome> {
    const record = await this.readRecord(identity, 'read before cancel', trace);
    const cancelled = id === undefined ? record.planned?.[0] : record.planned?.find((p) => p.id === id);
    if (!cancelled) return { kind: 'unplanned', planned: record.planned ?? [] };
    const { record: after, storeFailure } = await this.record(identity, { unplan: [cancelled.id] }, trace);
    if (!after) throw new PresenceError('storage_unavailable', { detail: `cancel, correlation ${storeFailure?.correlationId ?? 'none'}` });
    return { kind: 'unplanned', cancelled, planned: after.planned ?? [] };
  }

  /** The record, or storage_unavailable (logged under a correlation ID) for a request that cannot go on without it. */
  private readRecord(identity: Identity, operation: string, trace: Span): Promise<UserRecord> {
    return this.ledger.get(identity, trace).catch((err: unknown) => {
      const { correlationId } = this.storeFailed(operation, identity, err, trace);
      throw new PresenceError('storage_unavailable', { detail: `${operation}, correlation ${correlationId}` });
    });
  }

  /**
   * A timer came due (presence/timers.ts): checked against the record as stored (a status ending now still in it),
   * then done with a Graph token from the cache or the user's refresh token. Refused: consent_required.
   */
  async runTimer(identity: Identity, timer: Timer, trace: Span): Promise<'done' | 'stale'> {
    const record = await this.ledger.stored(identity, trace);
    const act = dueAct(record, timer, this.now());
    if (!act) {
      // What is left, not what has ended (which the stored record still holds), says whether the token is still needed.
      if (!needsRefreshToken(this.ledger.live(record))) await this.releaseRefreshToken(identity, trace);
      return 'stale';
    }
    const deadline = this.startDeadline();
    this.admitTenant(identity, act.kind === 'renew' ? 1 : graphCalls(act.request));
    const cached = this.options.tokens.cached(identity);
    const call = { token: cached ?? (await this.redeem(identity, deadline, trace)), deadline, trace };
    // A refresh can take a while: a command of the user's that came meanwhile wins, checked once more just before Graph.
    if (!cached && !dueAct(await this.ledger.stored(identity, trace), timer, this.now())) return 'stale';
    try {
      if (act.kind === 'renew') await this.renew(identity, call, act.setting);
      // Redeemed just now, the refresh token is kept (its replacement): what comes back can be planned on it.
      else await this.set(identity, call, act.request, { also: act.also, refreshTokenKept: cached ? undefined : true });
    } catch (err) {
      throw this.graphFailed(identity, err);
    }
    return 'done';
  }

  /** Entra refused the user's refresh token: every plan that needs it is dropped (their timers find nothing to do). */
  async signedOut(identity: Identity, trace: Span): Promise<void> {
    // The refused token itself was deleted as it was refused (conditional on the one read: one kept since stays).
    this.options.tokens.evict(identity);
    await this.ledger.update(identity, { dropPlans: true }, trace);
  }

  /** A renewal that gave up leaves the session to end at Graph's end: the record, its reminder and `status` follow. */
  async timerGaveUp(identity: Identity, timer: Timer, trace: Span): Promise<void> {
    if (timer.kind !== 'renew') return;
    await this.ledger.update(identity, { renewed: { givenUp: { state: timer.state, expiresAt: timer.expiresAt } } }, trace);
  }

  /** A Graph token from the user's refresh token (rotated as it is used), cached for their next command. */
  private async redeem(identity: Identity, deadline: Deadline, trace: Span): Promise<string> {
    const fresh = await this.options.timers?.refreshTokens.graphToken(identity, deadline, trace);
    if (!fresh) throw new PresenceError('consent_required', { detail: 'no refresh token kept' });
    this.options.tokens.remember(identity, fresh);
    return fresh.accessToken;
  }

  /** Sets the session again before Graph's end: one Graph call. The next renewal is planned while the end is further than Graph allows. */
  private async renew(identity: Identity, call: GraphCall, setting: AppSetting): Promise<void> {
    const def = STATES[setting.state];
    const now = this.now();
    const remaining = setting.expiresAt.getTime() - now;
    const graphMs = Math.min(remaining, GRAPH_RULES.session.maxMs);
    await this.options.graph.setPresence(call, identity.userId, {
      sessionId: this.options.appId,
      availability: def.availability,
      activity: def.activity,
      expirationDuration: toIsoDuration(graphMs),
    });
    const graphExpiresAt = graphMs < remaining ? new Date(now + graphMs) : undefined;
    const { storeFailure } = await this.record(identity, { renewed: { state: setting.state, expiresAt: setting.expiresAt, graphExpiresAt } }, call.trace);
    // Without the record the next renewal is not planned: the session ends at Graph's end, and the log says so.
    if (graphExpiresAt && !storeFailure) await this.timers().planner.renewal(identity, { ...setting, graphExpiresAt }, call.trace);
  }

  /** Deletes the refresh token nothing needs any more (best effort: it also expires with the user's inactivity). */
  private async releaseRefreshToken(identity: Identity, trace: Span | undefined): Promise<void> {
    await this.options.timers?.refreshTokens
      .forget(identity, trace)
      .catch((err: unknown) => void this.storeFailed('forget refresh token', identity, err, trace));
  }

  /** Reads, or changes and reads, when reminders come. Nothing reaches Graph. */
  private async reminderSetting(identity: Identity, leadMs: number | null | undefined, trace: Span): Promise<PresenceOutcome> {
    const write = leadMs !== undefined;
    const record = await (write ? this.ledger.update(identity, { reminders: { leadMs } }, trace) : this.ledger.get(identity, trace)).catch((err: unknown) => {
      const { correlationId } = this.storeFailed(write ? 'write reminders' : 'read reminders', identity, err, trace);
      throw new PresenceError('storage_unavailable', { detail: `reminder setting, correlation ${correlationId}` });
    });
    return { kind: 'reminders', leadMs: reminderLead(record) };
  }

  /** A timed status was set and recorded: its reminder is planned. A failure is logged, never the command's. */
  private async planReminder(identity: Identity, slot: 'preferred' | 'session', setting: AppSetting, durationMs: number, trace?: Span): Promise<void> {
    const { reminders } = this.options;
    if (!reminders) return;
    try {
      await reminders.plan(identity, slot, setting, durationMs, await this.ledger.latest(identity, trace), trace);
    } catch (err) {
      this.storeFailed('plan reminder', identity, err, trace);
    }
  }

  /**
   * The status and its message are set side by side. Without the status nothing counts (a message set alone is
   * taken back); without the message, the status is recorded and reported as set, and the outcome says what failed.
   */
  private async set(
    identity: Identity,
    call: GraphCall,
    request: Extract<PresenceRequest, { kind: 'set' }>,
    options: SetOptions = {},
  ): Promise<PresenceOutcome> {
    const { contact, also = {} } = options;
    const { graph, appId } = this.options;
    const def = STATES[request.state];
    const pair = { availability: def.availability, activity: def.activity };
    const usedDefault = request.durationMs === undefined;
    const durationMs = request.durationMs ?? defaultDurationMs(request.state);
    const now = this.now();
    const expiresAt = new Date(now + durationMs);
    // A session past Graph's 4 hours is set for 4 hours and renewed before each end (presence/timers.ts).
    const graphMs = def.kind === 'session' ? Math.min(durationMs, GRAPH_RULES.session.maxMs) : durationMs;
    const graphExpiresAt = graphMs < durationMs ? new Date(now + graphMs) : undefined;
    // Without a duration the preferred presence is left to Graph's own default, which the reply reports.
    const expirationDuration = usedDefault && def.kind === 'preferred' ? undefined : toIsoDuration(graphMs);
    // A status message belongs to the status it was set with: one this app set with the status now replaced goes too.
    const replaced = request.statusMessage ? undefined : await this.previousSetting(identity, def.kind, call.trace);
    const [presence, message] = await Promise.allSettled([
      def.kind === 'preferred'
        ? graph.setUserPreferredPresence(call, identity.userId, { ...pair, expirationDuration })
        : graph.setPresence(call, identity.userId, { sessionId: appId, ...pair, expirationDuration }),
      request.statusMessage
        ? graph.setStatusMessage(call, identity.userId, request.statusMessage, expiresAt)
        : replaced?.statusMessage
          ? graph.setStatusMessage(call, identity.userId, '')
          : undefined,
    ]);
    if (presence.status === 'rejected') {
      if (request.statusMessage && message.status === 'fulfilled') await this.takeBackMessage(identity, call);
      throw presence.reason;
    }
    const partial: PartFailure<SetPart>[] =
      message.status === 'rejected' ? [this.partFailed(request.statusMessage ? 'statusMessage' : 'previousMessage', identity, message.reason, call.trace)] : [];
    const statusMessage = message.status === 'fulfilled' ? request.statusMessage : undefined;
    const setting: AppSetting = withoutUndefined({ state: request.state, expiresAt, statusMessage, graphExpiresAt });
    const { record, storeFailure } = await this.record(
      identity,
      { ...also, ...(def.kind === 'preferred' ? { preferred: setting } : { session: setting }), contact },
      call.trace,
    );
    // A status left to Graph's default (7 days for most) gets no reminder: the user named no end to be reminded of.
    if (record && !usedDefault) await this.planReminder(identity, def.kind, setting, durationMs, call.trace);
    const comesBack = record && (await this.planTimers(identity, def.kind, setting, record, options.refreshTokenKept, call.trace));
    // What comes back in this slot only if its timer was planned; the record after the write says the rest.
    const after: UserRecord | undefined = record && (comesBack ? record : { ...record, underneath: { ...record.underneath, [def.kind]: undefined } });
    let shadowedBy: PresencePair | undefined;
    let shows: PresenceSnapshot | undefined;
    if (def.kind === 'session') {
      // A session state can be hidden by a preferred status: read back what people now see.
      try {
        const seen = await graph.getMyPresence(call);
        if (seen.availability !== pair.availability || seen.activity !== pair.activity) shadowedBy = pairOf(seen);
        shows = snapshot(seen, after, storeFailure);
      } catch (err) {
        partial.push(this.partFailed('confirm', identity, err, call.trace));
      }
    } else {
      // A preferred status outranks every session: what was set is what shows, without reading it back.
      shows = snapshot({ ...pair, statusMessage: statusMessage ? { message: { content: statusMessage } } : undefined }, after, storeFailure, 'preferred');
    }
    const back = comesBack ? record.underneath?.[def.kind]?.[0] : undefined;
    return {
      kind: 'set',
      state: request.state,
      expiresAt,
      usedDefault,
      statusMessage,
      ...(shadowedBy ? { shadowedBy } : {}),
      ...(back ? { comesBack: back } : {}),
      ...(storeFailure ? { storeFailure } : {}),
      ...(partial.length ? { partial } : {}),
      ...(shows ? { now: shows } : {}),
    };
  }

  /** The renewals of a long session, and what comes back when this status ends. A failure is logged, never the command's. */
  /**
   * The renewals of a long session, and what comes back when this status ends; true when something comes back. The
   * restore is planned only with a refresh token kept: the set decided whether to get one from this instance's copy
   * of the record, which another instance's write may have made stale. Without one, nothing comes back (and the
   * record says so). A failure is logged, never the command's.
   */
  private async planTimers(
    identity: Identity,
    slot: Slot,
    setting: AppSetting,
    record: UserRecord,
    refreshTokenKept: boolean | undefined,
    trace: Span | undefined,
  ): Promise<boolean> {
    const timers = this.options.timers;
    if (!timers) return false;
    try {
      const { graphExpiresAt } = setting;
      if (graphExpiresAt) await timers.planner.renewal(identity, { ...setting, graphExpiresAt }, trace);
      if (!record.underneath?.[slot]?.length) return false;
      if (refreshTokenKept ?? (await timers.refreshTokens.has(identity, trace))) {
        await timers.planner.restore(identity, slot, setting, trace);
        return true;
      }
      await this.ledger.update(identity, { dropUnderneath: slot }, trace);
    } catch (err) {
      this.storeFailed('plan timers', identity, err, trace);
    }
    return false;
  }

  /**
   * The set an extension amounts to, from the stored record (read fresh: another instance may have set or
   * extended since this one looked). The status keeps its message. An unreadable record: storage_unavailable.
   */
  private async extend(
    identity: Identity,
    request: Extract<PresenceRequest, { kind: 'extend' }>,
    trace: Span,
  ): Promise<Extract<PresenceRequest, { kind: 'set' }>> {
    const kind = STATES[request.state].kind;
    // Without the record the end that is set is unknown, and "+1 hour" from now could shorten it: nothing is changed.
    const record = await this.ledger.get(identity, trace).catch((err: unknown) => {
      const { correlationId } = this.storeFailed('read before extend', identity, err, trace);
      throw new PresenceError('storage_unavailable', { detail: `extend, correlation ${correlationId}` });
    });
    const running = kind === 'preferred' ? record.preferred : record.session;
    const current = running?.state === request.state ? running : undefined;
    const now = this.now();
    const { minMs } = durationLimits(request.state);
    // Without timers nothing renews a session: "the longest allowed" is Graph's 4 hours.
    const maxMs = kind === 'session' && !this.options.timers ? GRAPH_RULES.session.maxMs : durationLimits(request.state).maxMs;
    const currentEnd = current?.expiresAt.getTime() ?? now;
    // "Until end of day" on an old card never moves an end that is later already back to 17:00.
    const end = 'at' in request ? Math.max(request.at.getTime(), currentEnd) : Math.max(now, currentEnd) + request.byMs;
    let durationMs = end - now;
    if (durationMs > maxMs) {
      if (!('upToLimit' in request && request.upToLimit))
        throw new PresenceError('invalid_request', { field: 'duration', detail: 'extension past the limit', limitMs: maxMs });
      durationMs = maxMs;
    }
    if (durationMs < minMs) throw new PresenceError('invalid_request', { field: 'duration', detail: 'extension to an end that has passed' });
    return { kind: 'set', state: request.state, durationMs, statusMessage: current?.statusMessage };
  }

  /**
   * What this app last set of this kind and is still running, as this instance knows it (a store read only when
   * it knows nothing, which the record's write then needs anyway). Unreadable: nothing is cleared.
   */
  private async previousSetting(identity: Identity, kind: 'preferred' | 'session', trace: Span | undefined): Promise<AppSetting | undefined> {
    try {
      const record = await this.ledger.latest(identity, trace);
      return kind === 'preferred' ? record.preferred : record.session;
    } catch {
      return undefined;
    }
  }

  /** The status failed but its message was set: clear the message again, best effort (the caller reports the status's failure). */
  private async takeBackMessage(identity: Identity, call: GraphCall): Promise<void> {
    try {
      await this.options.graph.setStatusMessage(call, identity.userId, '');
      this.log(call.trace).warn('status message taken back: its status was not set', { tenantId: identity.tenantId });
    } catch (err) {
      const { code, detail } = asPresenceError(err);
      this.log(call.trace).error('status message left set without its status', { tenantId: identity.tenantId, code, detail });
    }
  }

  /**
   * The clears run side by side. What succeeded is recorded; what failed is listed in the outcome. Only when
   * every clear failed is the command a failure.
   */
  private async clear(identity: Identity, call: GraphCall, target: ClearTarget, contact?: UserContact): Promise<PresenceOutcome> {
    const { graph, appId } = this.options;
    // Without the record it is unknown whether this app set a status message: clear it to be safe.
    const before = await this.ledger.get(identity, call.trace).catch((err: unknown) => void this.storeFailed('read before reset', identity, err, call.trace));
    const clearsPreferred = target !== 'session';
    const clearsSession = target !== 'preferred';
    const setMessage = !before || [clearsPreferred && before.preferred?.statusMessage, clearsSession && before.session?.statusMessage].some(Boolean);
    const [preferred, session, message] = await Promise.allSettled([
      clearsPreferred ? graph.clearUserPreferredPresence(call, identity.userId) : undefined,
      clearsSession ? graph.clearPresence(call, identity.userId, appId) : undefined,
      setMessage ? graph.setStatusMessage(call, identity.userId, '') : undefined,
    ]);
    // A part not attempted is fulfilled (with undefined), so only real failures are rejected here.
    const failed = (
      [
        ['preferred', preferred],
        ['session', session],
        ['statusMessage', message],
      ] as const
    ).flatMap(([part, result]) => (result.status === 'rejected' ? [{ part, reason: result.reason as unknown }] : []));
    const attempted = [clearsPreferred, clearsSession, setMessage].filter(Boolean).length;
    if (failed[0] && failed.length === attempted) throw failed[0].reason;
    const partial = failed.map(({ part, reason }) => this.partFailed(part, identity, reason, call.trace));
    const cleared = (part: ClearPart) => !failed.some((f) => f.part === part);
    const { record, storeFailure } = await this.record(
      identity,
      {
        ...(clearsPreferred && cleared('preferred') ? { preferred: null } : {}),
        ...(clearsSession && cleared('session') ? { session: null } : {}),
        contact,
      },
      call.trace,
    );
    const sessionExisted = session.status === 'fulfilled' && session.value === 'cleared';
    // What Teams shows now, for the front door to show without asking again; unknown if the read fails.
    const now = await graph.getMyPresence(call).then(
      (seen) => snapshot(seen, record, storeFailure),
      (err: unknown) => void this.partFailed('confirm', identity, err, call.trace),
    );
    return {
      kind: 'cleared',
      target,
      sessionExisted,
      ...(storeFailure ? { storeFailure } : {}),
      ...(partial.length ? { partial } : {}),
      ...(now ? { now } : {}),
    };
  }

  /** One Graph read and one store read, side by side; the store is written only when the contact changed. */
  private async read(identity: Identity, call: GraphCall, contact?: UserContact): Promise<PresenceOutcome> {
    let storeFailure: StoreFailure | undefined;
    const [seen, record] = await Promise.all([
      this.options.graph.getMyPresence(call),
      this.ledger.get(identity, call.trace).catch((err: unknown): UserRecord | undefined => {
        storeFailure = this.storeFailed('read', identity, err, call.trace);
        return undefined;
      }),
    ]);
    if (record && contact && !sameContact(record.contact, contact)) await this.record(identity, { contact }, call.trace);
    return { kind: 'read', ...snapshot(seen, record, storeFailure) };
  }

  private async forget(identity: Identity, trace: Span): Promise<PresenceOutcome> {
    const records = await Promise.all([this.ledger.forget(identity, trace), this.options.jobs?.forget(identity, trace) ?? 0])
      .then(([stored, jobs]) => stored + jobs)
      .catch((err: unknown) => {
        const { correlationId } = this.storeFailed('forget', identity, err, trace);
        throw new PresenceError('storage_unavailable', { detail: `forget failed, correlation ${correlationId}` });
      });
    this.options.tokens.evict(identity);
    // Deleted with the user's records already; this also clears what this instance knew of it.
    await this.releaseRefreshToken(identity, trace);
    this.log(trace).info('user data deleted', { records });
    return { kind: 'forgotten', records };
  }

  /**
   * Writes a change to the user's record; a failure is reported in the outcome (Graph already changed), not thrown.
   * A change that leaves nothing needing the user's refresh token deletes it.
   */
  private async record(identity: Identity, change: LedgerChange, trace: Span | undefined): Promise<{ record?: UserRecord; storeFailure?: StoreFailure }> {
    let record: UserRecord;
    let before: UserRecord | undefined;
    try {
      before = this.options.timers ? await this.ledger.latest(identity, trace) : undefined;
      record = await this.ledger.update(identity, change, trace);
    } catch (err) {
      return { storeFailure: this.storeFailed('write', identity, err, trace) };
    }
    if (before && needsRefreshToken(before) && !needsRefreshToken(record)) await this.releaseRefreshToken(identity, trace);
    return { record };
  }

  /** A part of the command failed while the rest succeeded: logged with its detail under a new correlation ID. */
  private partFailed<P extends SetPart | ClearPart>(part: P, identity: Identity, err: unknown, trace: Span | undefined): PartFailure<P> {
    const correlationId = randomUUID();
    const { code, detail } = asPresenceError(err);
    const level = ERROR_CODES[code].expected ? 'warn' : 'error';
    this.log(trace)[level]('command partly failed', { correlationId, part, code, detail, tenantId: identity.tenantId });
    return { part, code, correlationId };
  }

  private storeFailed(operation: string, identity: Identity, err: unknown, trace: Span | undefined): StoreFailure {
    const correlationId = randomUUID();
    // A StoreError's code and detail (an HTTP status, a socket error code) are safe to log; nothing else of it is kept.
    const { code, detail } = (err ?? {}) as { code?: unknown; detail?: unknown };
    this.log(trace).error('store failed', {
      correlationId,
      operation,
      tenantId: identity.tenantId,
      storeCode: typeof code === 'string' ? code : undefined,
      storeDetail: typeof detail === 'string' ? detail : undefined,
    });
    return { correlationId };
  }

  /** The logger, its lines beside the command's trace. */
  private log(trace: Span | undefined): Logger {
    return tracedLogger(this.options.logger, trace);
  }
}

/**
 * What shows and what this app has set: Graph's presence (read, or known), and the user's record (undefined: it could
 * not be read or written, so who set what shows is `unknown` unless the caller knows it).
 */
function snapshot(
  seen: Pick<GraphPresence, 'availability' | 'activity' | 'statusMessage'>,
  record: UserRecord | undefined,
  storeFailure: StoreFailure | undefined,
  knownSource?: PresenceSource,
): PresenceSnapshot {
  const preferred = record?.preferred;
  const session = record?.session;
  const back = withoutUndefined({ preferred: record?.underneath?.preferred?.[0], session: record?.underneath?.session?.[0] });
  return {
    presence: { ...pairOf(seen), source: knownSource ?? (record ? sourceOf(seen, preferred, session) : 'unknown'), statusMessage: messageOf(seen) },
    preferred,
    session,
    ...(Object.keys(back).length ? { comesBack: back } : {}),
    ...(record?.planned?.length ? { planned: record.planned } : {}),
    ...(storeFailure ? { storeFailure } : {}),
  };
}

function sameContact(a: UserContact | undefined, b: UserContact): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function pairOf(p: Pick<GraphPresence, 'availability' | 'activity'>): { availability: Availability; activity: Activity } {
  return { availability: p.availability, activity: p.activity };
}

function matches(p: PresencePair, setting?: AppSetting): boolean {
  return !!setting && STATES[setting.state].availability === p.availability && STATES[setting.state].activity === p.activity;
}

function sourceOf(p: PresencePair, preferred?: AppSetting, session?: AppSetting): PresenceSource {
  if (matches(p, preferred)) return 'preferred';
  if (matches(p, session)) return 'app';
  return 'teams';
}

function messageOf(p: Pick<GraphPresence, 'statusMessage'>): string | undefined {
  const content = p.statusMessage?.message?.content;
  return content ? content : undefined;
}

/** The Graph calls a request makes at most: what it is charged against the tenant's budget before it runs. */
function graphCalls(request: Extract<PresenceRequest, { kind: 'set' | 'clear' | 'read' }>): number {
  switch (request.kind) {
    // The status, its read-back for a session state, and a status message set or (the replaced status's) cleared.
    case 'set':
      return (STATES[request.state].kind === 'session' ? 2 : 1) + 1;
    // Two clears, the status message, and the read of what Teams shows then.
    case 'clear':
      return 4;
    case 'read':
      return 1;
  }
}
