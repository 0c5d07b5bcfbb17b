import { PRODUCT_RULES, REMINDER_LEAD, durationLimits, isStateName, type StateName } from '../../presence/model';
import type { PresenceRequest } from '../../presence/request';
import { parseInstant } from './instant';
import { RequestProblem } from './problems';

const FIELDS = ['state', 'durationMinutes', 'until', 'statusMessage'] as const;
const REMINDER_FIELDS = ['leadMinutes'] as const;
const MINUTE = 60_000;
/** Other names the API takes for a state. `Offline` is what Teams shows for Appear offline, so it means AppearOffline; replies use the canonical name. */
const STATE_ALIASES: ReadonlyMap<string, StateName> = new Map([['Offline', 'AppearOffline']]);

export type DurationField = 'durationMinutes' | 'until';

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
    if (typeof until !== 'string') throw new RequestProblem('until', { kind: 'type', expected: 'string' });
    const at = parseInstant(until);
    if (at === undefined) throw new RequestProblem('until', { kind: 'format' });
    if (at <= now) throw new RequestProblem('until', { kind: 'past' });
    return inRange('until', at - now);
  }
  return {};
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
