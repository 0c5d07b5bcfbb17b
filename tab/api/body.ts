import { PRODUCT_RULES, REMINDER_LEAD, SCHEDULE_AHEAD_MAX_MS, durationLimits, isStateName, type StateName } from '../../presence/model';
import type { PresenceRequest } from '../../presence/request';
import { parseInstant } from './instant';
import { RequestProblem } from './problems';

const FIELDS = ['state', 'durationMinutes', 'until', 'statusMessage'] as const;
const REMINDER_FIELDS = ['leadMinutes'] as const;
const PLAN_FIELDS = ['state', 'startAt', 'endAt', 'statusMessage'] as const;
/** What the service's plans are named by (randomUUID in presence/service.ts); DELETE /api/plans/:id takes nothing else. */
const PLAN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MINUTE = 60_000;
/** Other names the API takes for a state. `Offline` is what Teams shows for Appear offline, so it means AppearOffline; replies use the canonical name. */
const STATE_ALIASES: ReadonlyMap<string, StateName> = new Map([['Offline', 'AppearOffline']]);

export type DurationField = 'durationMinutes' | 'until' | 'endAt';

export interface ParsedSet {
  readonly request: Extract<PresenceRequest, { kind: 'set' }>;
  /** Which body field gave the duration, to name it if the service rejects the duration. */
  readonly durationField?: DurationField;
}

/** Turns a POST /api/presence body into the service's typed request; throws a RequestProblem naming the field. */
export function parseSetBody(body: unknown, now: number): ParsedSet {
  const fields = fieldsOf(body, FIELDS);
  const state = stateOf(fields.state);
  const { durationMs, durationField } = durationOf(fields, state, now);
  const statusMessage = statusMessageOf(fields.statusMessage);
  return { request: { kind: 'set', state, durationMs, statusMessage }, durationField };
}

/** Turns a PUT /api/reminders body into the service's request: a whole number of minutes within REMINDER_LEAD, or null for off. */
export function parseRemindersBody(body: unknown): Extract<PresenceRequest, { kind: 'reminders' }> {
  const { leadMinutes } = fieldsOf(body, REMINDER_FIELDS);
  if (leadMinutes === undefined) throw new RequestProblem('leadMinutes', { kind: 'required' });
  if (leadMinutes === null) return { kind: 'reminders', leadMs: null };
  const leadMs = typeof leadMinutes === 'number' && Number.isInteger(leadMinutes) ? leadMinutes * MINUTE : NaN;
  if (!(leadMs >= REMINDER_LEAD.minMs && leadMs <= REMINDER_LEAD.maxMs)) throw new RequestProblem('leadMinutes', { kind: 'reminderLead', ...REMINDER_LEAD });
  return { kind: 'reminders', leadMs };
}

export interface ParsedPlan {
  readonly request: Extract<PresenceRequest, { kind: 'plan' }>;
  /** A plan's duration is from startAt to endAt: a duration the service rejects is endAt's. */
  readonly durationField: 'endAt';
}

/**
 * Turns a POST /api/plans body into the service's request: a start in the future and at most 7 days ahead, an end
 * that leaves the state's own limits from the start (as a status set now), and an optional status message.
 */
export function parsePlanBody(body: unknown, now: number): ParsedPlan {
  const fields = fieldsOf(body, PLAN_FIELDS);
  const state = stateOf(fields.state);
  const startAt = instantOf('startAt', fields.startAt);
  if (startAt <= now) throw new RequestProblem('startAt', { kind: 'past' });
  if (startAt - now > SCHEDULE_AHEAD_MAX_MS) throw new RequestProblem('startAt', { kind: 'value' });
  const endAt = instantOf('endAt', fields.endAt);
  const limits = durationLimits(state);
  if (endAt - startAt < limits.minMs || endAt - startAt > limits.maxMs) throw new RequestProblem('endAt', { kind: 'range', ...limits });
  const statusMessage = statusMessageOf(fields.statusMessage);
  return { request: { kind: 'plan', state, startAt: new Date(startAt), endAt: new Date(endAt), statusMessage }, durationField: 'endAt' };
}

/** The `:id` of DELETE /api/plans/:id, as the service named the plan. */
export function parsePlanId(id: unknown): string {
  if (typeof id !== 'string' || !PLAN_ID.test(id)) throw new RequestProblem('id', { kind: 'value' });
  return id;
}

/** A JSON object with only the `allowed` fields, or a RequestProblem naming the first other one. */
function fieldsOf(body: unknown, allowed: readonly string[]): Readonly<Record<string, unknown>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RequestProblem('body', { kind: 'type', expected: 'object' });
  const fields = body as Readonly<Record<string, unknown>>;
  const unknown = Object.keys(fields).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw new RequestProblem(unknown, { kind: 'unknown', allowed });
  return fields;
}

function stateOf(value: unknown): StateName {
  if (value === undefined) throw new RequestProblem('state', { kind: 'required' });
  if (typeof value !== 'string') throw new RequestProblem('state', { kind: 'type', expected: 'string' });
  const state = STATE_ALIASES.get(value) ?? value;
  if (!isStateName(state)) throw new RequestProblem('state', { kind: 'state' });
  return state;
}

function durationOf(fields: Readonly<Record<string, unknown>>, state: StateName, now: number): { durationMs?: number; durationField?: DurationField } {
  const { durationMinutes: minutes, until } = fields;
  if (minutes !== undefined && until !== undefined) throw new RequestProblem('until', { kind: 'conflict', with: 'durationMinutes' });
  const limits = durationLimits(state);
  const inRange = (field: DurationField, ms: number) => {
    if (ms < limits.minMs || ms > limits.maxMs) throw new RequestProblem(field, { kind: 'range', ...limits });
    return { durationMs: ms, durationField: field };
  };
  if (minutes !== undefined) {
    if (typeof minutes !== 'number' || !Number.isInteger(minutes)) throw new RequestProblem('durationMinutes', { kind: 'type', expected: 'wholeNumber' });
    return inRange('durationMinutes', minutes * MINUTE);
  }
  if (until !== undefined) {
    const at = instantOf('until', until);
    if (at <= now) throw new RequestProblem('until', { kind: 'past' });
    return inRange('until', at - now);
  }
  return {};
}

/** A required ISO 8601 instant with `Z` or an offset, as epoch milliseconds. */
function instantOf(field: string, value: unknown): number {
  if (value === undefined) throw new RequestProblem(field, { kind: 'required' });
  if (typeof value !== 'string') throw new RequestProblem(field, { kind: 'type', expected: 'string' });
  const at = parseInstant(value);
  if (at === undefined) throw new RequestProblem(field, { kind: 'format' });
  return at;
}

/** Blank means no status message. */
function statusMessageOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new RequestProblem('statusMessage', { kind: 'type', expected: 'string' });
  const text = value.trim();
  if (text.length > PRODUCT_RULES.statusMessageMaxLength)
    throw new RequestProblem('statusMessage', { kind: 'tooLong', max: PRODUCT_RULES.statusMessageMaxLength });
  return text === '' ? undefined : text;
}
