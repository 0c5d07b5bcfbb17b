/**
 * The timers that act in Graph while the user is not chatting (presence/jobs.ts runs them):
 * - `renew`: a session longer than Graph's 4 hours is set again shortly before each of Graph's expirations;
 * - `restore`: when a status ends that replaced an earlier one this app set, the earlier one comes back for the
 *   time it has left;
 * - `start`: a status planned ahead is set when its time comes.
 * A timer carries what it was planned for and the service checks that against the stored record before it acts
 * (PresenceService.runTimer): a status extended, replaced or reset since, or a plan cancelled, makes it a no-op.
 * It acts as the user, with their cached Graph token or one from their refresh token (presence/tokens/refresh-tokens.ts),
 * and checks the plan once more just before its Graph call. Refused by Entra
 * (revoked, expired, consent withdrawn): the user's plans are dropped and a sign-in card says why.
 */
import { randomUUID } from 'node:crypto';
import { PresenceError, asPresenceError } from './errors';
import type { Job, JobHandler, JobScheduler } from './jobs';
import type { AppSetting, LedgerChange, PlannedStatus, PresenceLedger, Slot, UserContact, UserRecord } from './ledger';
import type { Logger } from './log';
import { GRAPH_RULES, durationLimits, isStateName, type StateName } from './model';
import type { PresenceRequest } from './request';
import { tracedLogger, type Span } from './telemetry';
import type { Identity } from './tokens/identity';

export const TIMER_JOBS = { renew: 'renew', restore: 'restore', start: 'start' } as const;

/** A renewal comes this long before Graph's session ends: room for a late poll and three retries (10 s, 40 s, 2 min 40 s). */
const RENEW_LEAD_MS = 10 * 60_000;

/** What a timer was planned for, as the service checks it. */
export type Timer =
  | { readonly kind: 'renew'; readonly state: StateName; readonly expiresAt: Date; readonly graphExpiresAt: Date }
  | { readonly kind: 'restore'; readonly slot: Slot; readonly state: StateName; readonly expiresAt: Date }
  | { readonly kind: 'start'; readonly id: string };

/** What a due timer does: renew the session (one Graph call), or set a status (through the service's set). */
export type DueAct =
  | { readonly kind: 'renew'; readonly setting: AppSetting }
  | { readonly kind: 'set'; readonly request: Extract<PresenceRequest, { kind: 'set' }>; readonly also?: LedgerChange };

/** Plans the timers (one job write each); the service calls it as it records what it set. */
export class TimerPlanner {
  constructor(private readonly scheduler: Pick<JobScheduler, 'schedule'>) {}

  /** Before Graph's session ends (`graphExpiresAt`), renew it. */
  async renewal(identity: Identity, setting: AppSetting & { graphExpiresAt: Date }, trace?: Span): Promise<void> {
    await this.scheduler.schedule(
      identity,
      {
        kind: TIMER_JOBS.renew,
        dueAt: new Date(setting.graphExpiresAt.getTime() - RENEW_LEAD_MS),
        // Graph's end too: a renewal leaves the setting as it was, so this is what tells a run twice from the next renewal.
        payload: { state: setting.state, expiresAt: setting.expiresAt.toISOString(), graphExpiresAt: setting.graphExpiresAt.toISOString() },
      },
      trace,
    );
  }

  /** When `setting` ends, bring back what it replaced. */
  async restore(identity: Identity, slot: Slot, setting: AppSetting, trace?: Span): Promise<void> {
    await this.scheduler.schedule(
      identity,
      {
        kind: TIMER_JOBS.restore,
        dueAt: setting.expiresAt,
        payload: { slot, state: setting.state, expiresAt: setting.expiresAt.toISOString() },
      },
      trace,
    );
  }

  /** At its start, set a planned status. */
  async start(identity: Identity, planned: PlannedStatus, trace?: Span): Promise<void> {
    await this.scheduler.schedule(identity, { kind: TIMER_JOBS.start, dueAt: planned.startAt, payload: { id: planned.id } }, trace);
  }
}

/** What a timer did that the user must hear of: it failed for good, or their sign-in no longer works. */
export type TimerNotice =
  { readonly kind: 'signedOut' } | { readonly kind: 'failed'; readonly timer: Timer['kind']; readonly state?: StateName; readonly correlationId: string };

/** Tells the user in their 1:1 chat with the bot (bot/proactive.ts). */
export interface TimerNotifier {
  notify(contact: UserContact, notice: TimerNotice): Promise<void>;
}

/** The service's side of the timers (PresenceService). */
export interface TimerRunner {
  /** Checks the timer against the record and acts; 'stale' when the plan changed since (nothing done). `trace`: the run's span. */
  runTimer(identity: Identity, timer: Timer, trace: Span): Promise<'done' | 'stale'>;
  /** The refresh token was refused: drops every plan that needs it. */
  signedOut(identity: Identity, trace: Span): Promise<void>;
  /** A timer gave up: the record says what now holds (a session not renewed ends at Graph's end). */
  timerGaveUp(identity: Identity, timer: Timer, trace: Span): Promise<void>;
}

export interface TimerJobsOptions {
  readonly service: TimerRunner;
  readonly ledger: Pick<PresenceLedger, 'get'>;
  readonly notifier: TimerNotifier;
  readonly logger: Logger;
}

/** The job handler of the three kinds. */
export class TimerJobs implements JobHandler {
  constructor(private readonly options: TimerJobsOptions) {}

  async run(job: Job, trace: Span): Promise<void> {
    const timer = timerOf(job);
    if (!timer) return;
    try {
      await this.options.service.runTimer(job.owner, timer, trace);
    } catch (err) {
      if (!(err instanceof PresenceError && err.code === 'consent_required')) throw err;
      // Not retried: only the user can sign in again. Their other timers become no-ops with the plans dropped.
      const logger = tracedLogger(this.options.logger, trace);
      logger.warn('timer refused: sign-in needed', { tenantId: job.owner.tenantId, timer: timer.kind, detail: err.detail });
      await this.options.service.signedOut(job.owner, trace);
      await this.tell(job.owner, { kind: 'signedOut' }, trace);
    }
  }

  async gaveUp(job: Job, error: unknown, trace: Span): Promise<void> {
    const timer = timerOf(job);
    if (!timer) return;
    const correlationId = randomUUID();
    const { code, detail } = asPresenceError(error);
    const logger = tracedLogger(this.options.logger, trace);
    logger.error('timer failed', { correlationId, tenantId: job.owner.tenantId, timer: timer.kind, attempts: job.attempt + 1, code, detail });
    await this.options.service.timerGaveUp(job.owner, timer, trace).catch((err: unknown) => logger.warn('timer give-up not recorded', { error: err }));
    await this.tell(job.owner, { kind: 'failed', timer: timer.kind, ...('state' in timer ? { state: timer.state } : {}), correlationId }, trace);
  }

  private async tell(owner: Identity, notice: TimerNotice, trace: Span): Promise<void> {
    const { contact } = await this.options.ledger.get(owner, trace);
    // Someone who only ever used the tab has no chat to be told in: the tab shows what is set when next opened.
    if (contact) await this.options.notifier.notify(contact, notice);
  }
}

function timerOf(job: Job): Timer | undefined {
  const { id, slot, state, expiresAt, graphExpiresAt } = job.payload;
  if (job.kind === TIMER_JOBS.start) return typeof id === 'string' ? { kind: 'start', id } : undefined;
  if (!isStateName(state) || typeof expiresAt !== 'string' || Number.isNaN(new Date(expiresAt).getTime())) return undefined;
  if (job.kind === TIMER_JOBS.renew)
    return typeof graphExpiresAt === 'string' ? { kind: 'renew', state, expiresAt: new Date(expiresAt), graphExpiresAt: new Date(graphExpiresAt) } : undefined;
  if (job.kind === TIMER_JOBS.restore && (slot === 'preferred' || slot === 'session')) return { kind: 'restore', slot, state, expiresAt: new Date(expiresAt) };
  return undefined;
}

/**
 * What a due timer does, if its plan is still the one stored (`record` as stored, a status ending now still in it):
 * undefined when the plan changed since, or when what is left is too short to set.
 */
export function dueAct(record: UserRecord, timer: Timer, now: number): DueAct | undefined {
  const same = (s: AppSetting | undefined, t: { state: string; expiresAt: Date }) => s?.state === t.state && s.expiresAt.getTime() === t.expiresAt.getTime();
  switch (timer.kind) {
    case 'renew': {
      const { session } = record;
      const renewing = session?.graphExpiresAt?.getTime() === timer.graphExpiresAt.getTime();
      if (!session || !renewing || !same(session, timer) || session.expiresAt.getTime() - now < GRAPH_RULES.session.minMs) return undefined;
      return { kind: 'renew', setting: session };
    }
    case 'restore': {
      if (!same(record[timer.slot], timer)) return undefined;
      const next = record.underneath?.[timer.slot]?.find((s) => s.expiresAt.getTime() - now >= durationLimits(s.state).minMs);
      return (
        next && { kind: 'set', request: { kind: 'set', state: next.state, durationMs: next.expiresAt.getTime() - now, statusMessage: next.statusMessage } }
      );
    }
    case 'start': {
      const planned = record.planned?.find((p) => p.id === timer.id);
      // Due long past (every instance was down): what is left of it, if that is still worth setting.
      const left = planned ? planned.endAt.getTime() - Math.max(now, planned.startAt.getTime()) : 0;
      if (!planned || left < durationLimits(planned.state).minMs) return undefined;
      const request = { kind: 'set', state: planned.state, durationMs: left, statusMessage: planned.statusMessage } as const;
      return { kind: 'set', request, also: { unplan: [planned.id] } };
    }
  }
}
