import { PRODUCT_RULES, REMINDER_LEAD, durationLimits, isStateName, type StateName } from './model';
import { PresenceError } from './errors';

/** What a front door (the bot or the tab) asks the presence service to do. */
export type PresenceRequest =
  | { readonly kind: 'set'; readonly state: StateName; readonly durationMs?: number; readonly statusMessage?: string }
  /**
   * Moves the end of a status this app set by `byMs`, resolved against what is set when it runs (a button
   * carries this intent, not an end time, so it works on an old card and twice in a row). A status that has
   * ended, or was replaced, is set for `byMs` from now. Past the state's limit it is refused
   * (invalid_request, field duration), unless `upToLimit` asks for the longest allowed instead.
   */
  | { readonly kind: 'extend'; readonly state: StateName; readonly byMs: number; readonly upToLimit?: boolean }
  /** The status this app set, kept (with its message) until `at` instead: "until end of day". */
  | { readonly kind: 'extend'; readonly state: StateName; readonly at: Date }
  | { readonly kind: 'clear'; readonly target: ClearTarget }
  | { readonly kind: 'read' }
  /** The reminder before a timed status ends: `leadMs` sets it (null: off); without it, only says what it is. */
  | { readonly kind: 'reminders'; readonly leadMs?: number | null }
  /** A status planned ahead: set at `startAt` (by a timer, presence/timers.ts) until `endAt`. */
  | { readonly kind: 'plan'; readonly state: StateName; readonly startAt: Date; readonly endAt: Date; readonly statusMessage?: string }
  /** What is planned. */
  | { readonly kind: 'planned' }
  /** Cancels a planned status; without `id`, the next one. */
  | { readonly kind: 'unplan'; readonly id?: string }
  /** Delete everything the app stored about the user (their presence in Teams is left as it is). */
  | { readonly kind: 'forget' };

export type ClearTarget = 'preferred' | 'session' | 'both';

/** Throws a PresenceError('invalid_request') naming the field that is out of range. */
export function validateRequest(request: PresenceRequest): PresenceRequest {
  if (request.kind === 'extend') {
    if (!isStateName(request.state)) throw new PresenceError('invalid_request', { field: 'state' });
    const invalid =
      'at' in request
        ? Number.isNaN(request.at.getTime())
        : !Number.isFinite(request.byMs) || request.byMs <= 0 || request.byMs > durationLimits(request.state).maxMs;
    if (invalid) throw new PresenceError('invalid_request', { field: 'duration' });
    return request;
  }
  if (request.kind === 'reminders') {
    const { leadMs } = request;
    if (typeof leadMs === 'number' && !(leadMs >= REMINDER_LEAD.minMs && leadMs <= REMINDER_LEAD.maxMs))
      throw new PresenceError('invalid_request', { field: 'leadMs' });
    return request;
  }
  if (request.kind === 'plan') {
    if (!isStateName(request.state)) throw new PresenceError('invalid_request', { field: 'state' });
    const { minMs, maxMs } = durationLimits(request.state);
    const span = request.endAt.getTime() - request.startAt.getTime();
    if (!(span >= minMs && span <= maxMs)) throw new PresenceError('invalid_request', { field: 'duration' });
    checkMessage(request.statusMessage);
    return request;
  }
  if (request.kind !== 'set') return request;
  if (!isStateName(request.state)) throw new PresenceError('invalid_request', { field: 'state' });
  if (request.durationMs !== undefined) {
    const { minMs, maxMs } = durationLimits(request.state);
    if (!Number.isFinite(request.durationMs) || request.durationMs < minMs || request.durationMs > maxMs) {
      throw new PresenceError('invalid_request', { field: 'duration' });
    }
  }
  checkMessage(request.statusMessage);
  return request;
}

function checkMessage(statusMessage: string | undefined): void {
  if (statusMessage !== undefined && statusMessage.length > PRODUCT_RULES.statusMessageMaxLength) {
    throw new PresenceError('invalid_request', { field: 'statusMessage' });
  }
}
