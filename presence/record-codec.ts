/**
 * The user's record as the store holds it (presence/ledger.ts): schema 1, times as ISO 8601 strings. Data outlives
 * code versions, so a reader validates every field: what it cannot read counts as not set, and the next change
 * overwrites it. Fields added later are optional, so older records read as they were.
 */
import { isStateName } from './model';
import type { AppSetting, PlannedStatus, ReminderSetting, Slot, UserContact, UserRecord } from './ledger';

const SLOTS: readonly Slot[] = ['preferred', 'session'];

export function serialize(record: UserRecord): Record<string, unknown> {
  const underneath = Object.fromEntries(SLOTS.flatMap((slot) => (record.underneath?.[slot]?.length ? [[slot, record.underneath[slot].map(setting)]] : [])));
  return withoutUndefined({
    schema: 1,
    version: record.version,
    preferred: record.preferred && setting(record.preferred),
    session: record.session && setting(record.session),
    underneath: Object.keys(underneath).length ? underneath : undefined,
    planned: record.planned?.length ? record.planned.map(planned) : undefined,
    contact: record.contact,
    reminders: record.reminders,
  });
}

export function parseRecord(value: unknown): UserRecord {
  if (!isObject(value) || value.schema !== 1) return { version: isObject(value) && typeof value.version === 'number' ? value.version : 0 };
  const version = typeof value.version === 'number' && Number.isInteger(value.version) ? value.version : 0;
  const below = isObject(value.underneath) ? value.underneath : {};
  const underneath = Object.fromEntries(
    SLOTS.flatMap((slot) => {
      const list = listOf(below[slot], parseSetting);
      return list.length ? [[slot, list]] : [];
    }),
  );
  const plans = listOf(value.planned, parsePlanned);
  return withoutUndefined({
    version,
    preferred: parseSetting(value.preferred),
    session: parseSetting(value.session),
    underneath: Object.keys(underneath).length ? underneath : undefined,
    planned: plans.length ? plans : undefined,
    contact: parseContact(value.contact),
    reminders: parseReminders(value.reminders),
  });
}

export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function setting(s: AppSetting): Record<string, unknown> {
  return withoutUndefined({
    state: s.state,
    expiresAt: s.expiresAt.toISOString(),
    statusMessage: s.statusMessage || undefined,
    graphExpiresAt: s.graphExpiresAt?.toISOString(),
  });
}

function planned(p: PlannedStatus): Record<string, unknown> {
  return withoutUndefined({
    id: p.id,
    state: p.state,
    startAt: p.startAt.toISOString(),
    endAt: p.endAt.toISOString(),
    statusMessage: p.statusMessage || undefined,
  });
}

function parseSetting(value: unknown): AppSetting | undefined {
  if (!isObject(value) || !isStateName(value.state)) return undefined;
  const expiresAt = dateOf(value.expiresAt);
  if (!expiresAt) return undefined;
  const statusMessage = typeof value.statusMessage === 'string' ? value.statusMessage : undefined;
  return withoutUndefined({ state: value.state, expiresAt, statusMessage, graphExpiresAt: dateOf(value.graphExpiresAt) });
}

function parsePlanned(value: unknown): PlannedStatus | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || !isStateName(value.state)) return undefined;
  const startAt = dateOf(value.startAt);
  const endAt = dateOf(value.endAt);
  if (!startAt || !endAt) return undefined;
  const statusMessage = typeof value.statusMessage === 'string' ? value.statusMessage : undefined;
  return withoutUndefined({ id: value.id, state: value.state, startAt, endAt, statusMessage });
}

function parseReminders(value: unknown): ReminderSetting | undefined {
  if (!isObject(value)) return undefined;
  const { leadMs } = value;
  return leadMs === null || (typeof leadMs === 'number' && Number.isFinite(leadMs) && leadMs > 0) ? { leadMs } : undefined;
}

function parseContact(value: unknown): UserContact | undefined {
  if (!isObject(value) || !isObject(value.conversation)) return undefined;
  return withoutUndefined({
    conversation: value.conversation,
    locale: typeof value.locale === 'string' ? value.locale : undefined,
    timeZone: typeof value.timeZone === 'string' ? value.timeZone : undefined,
  });
}

function listOf<T>(value: unknown, parse: (item: unknown) => T | undefined): T[] {
  return Array.isArray(value) ? value.flatMap((item) => parse(item) ?? []) : [];
}

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
