import { PRODUCT_RULES, SCHEDULE_AHEAD_MAX_MS, STATES, durationLimits, type StateName } from '../../presence/model';
import type { DurationChoice } from './messages';

/** What the API's POST body says about how long: minutes, or an end time. */
export type Timing = { readonly durationMinutes: number } | { readonly until: Date };

export interface TimingInput {
  readonly customHours: string;
  readonly customMinutes: string;
  /** The value of an `<input type="datetime-local">`: YYYY-MM-DDTHH:mm in local time. */
  readonly untilLocal: string;
}

export type TimingResult =
  { readonly ok: true; readonly timing: Timing; readonly endsAt: Date } | { readonly ok: false; readonly problem: 'customDuration' | 'until' };

const MINUTE = 60_000;
const PRESETS: Partial<Record<DurationChoice, number>> = { m30: 30, h1: 60, h2: 120 };

/**
 * Turns the duration picker's choice into the request's timing. "Today" ends at 11:59 PM local
 * time; "This week" at 11:59 PM on the last day of the locale's week.
 */
export function timingFor(choice: DurationChoice, input: TimingInput, now: Date, locale: string): TimingResult {
  const preset = PRESETS[choice];
  if (preset !== undefined) return minutes(preset, now);
  switch (choice) {
    case 'today':
      return until(endOfDay(now, 0), now);
    case 'week':
      return until(endOfDay(now, daysToEndOfWeek(now, firstDayOfWeek(locale))), now);
    case 'custom': {
      const hours = wholeNumber(input.customHours);
      const mins = wholeNumber(input.customMinutes);
      if (hours === undefined || mins === undefined) return { ok: false, problem: 'customDuration' };
      const total = hours * 60 + mins;
      return total >= 1 ? minutes(total, now) : { ok: false, problem: 'customDuration' };
    }
    case 'until': {
      const end = parseLocalDateTime(input.untilLocal);
      return end && end.getTime() > now.getTime() ? until(end, now) : { ok: false, problem: 'until' };
    }
    default:
      return { ok: false, problem: 'customDuration' };
  }
}

/** Whether a duration is within this product's limits for the state (PRODUCT_RULES: preferred 1 minute to 7 days, a session 5 minutes to a day). */
export function withinLimits(state: StateName, durationMs: number): boolean {
  const { minMs, maxMs } = PRODUCT_RULES[STATES[state].kind];
  // An end time is measured again on the server a moment later: allow that much slack at the low end.
  return durationMs >= minMs - 5_000 && durationMs <= maxMs;
}

/** What is wrong with a planned status' times: its start (past, or too far ahead), its end (not after the start), or the span (the state's limits). */
export type PlanProblem = 'start' | 'end' | 'range';

export type PlanTimes = { readonly ok: true; readonly startAt: Date; readonly endAt: Date } | { readonly ok: false; readonly problem: PlanProblem };

/**
 * The plan form's start and end (datetime-local values) checked as the service checks them: a start in the future and
 * at most SCHEDULE_AHEAD_MAX_MS ahead, an end after it, and the span within the state's limits.
 */
export function planTimesFor(state: StateName, startLocal: string, endLocal: string, now: Date): PlanTimes {
  const startAt = parseLocalDateTime(startLocal);
  if (!startAt || startAt.getTime() <= now.getTime() || startAt.getTime() - now.getTime() > SCHEDULE_AHEAD_MAX_MS) return { ok: false, problem: 'start' };
  const endAt = parseLocalDateTime(endLocal);
  if (!endAt || endAt.getTime() <= startAt.getTime()) return { ok: false, problem: 'end' };
  const { minMs, maxMs } = durationLimits(state);
  const span = endAt.getTime() - startAt.getTime();
  return span >= minMs && span <= maxMs ? { ok: true, startAt, endAt } : { ok: false, problem: 'range' };
}

/** The plan form's default start: the next full hour of local time. */
export function nextFullHour(now: Date): Date {
  const next = new Date(now.getTime());
  next.setMinutes(0, 0, 0);
  next.setHours(next.getHours() + 1);
  return next;
}

function minutes(n: number, now: Date): TimingResult {
  return { ok: true, timing: { durationMinutes: n }, endsAt: new Date(now.getTime() + n * MINUTE) };
}

function until(end: Date, now: Date): TimingResult {
  return end.getTime() > now.getTime() ? { ok: true, timing: { until: end }, endsAt: end } : { ok: false, problem: 'until' };
}

function wholeNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  if (!/^\d{1,4}$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

function endOfDay(now: Date, plusDays: number): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + plusDays, 23, 59, 0, 0);
}

/** ISO weekday (1 = Monday .. 7 = Sunday) the locale's week starts on; Monday when the browser can't say. */
export function firstDayOfWeek(locale: string): number {
  try {
    const loc = new Intl.Locale(locale) as Intl.Locale & { getWeekInfo?: () => { firstDay?: number }; weekInfo?: { firstDay?: number } };
    const info = loc.getWeekInfo?.() ?? loc.weekInfo;
    const first = info?.firstDay;
    return typeof first === 'number' && first >= 1 && first <= 7 ? first : 1;
  } catch {
    return 1;
  }
}

function daysToEndOfWeek(now: Date, firstDay: number): number {
  const today = now.getDay() === 0 ? 7 : now.getDay();
  const lastDay = firstDay === 1 ? 7 : firstDay - 1;
  return (lastDay - today + 7) % 7;
}

/** YYYY-MM-DDTHH:mm (datetime-local) as a local Date. */
export function parseLocalDateTime(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, s, 0);
  return Number.isNaN(date.getTime()) || date.getMonth() !== mo - 1 ? undefined : date;
}

/** A Date as a datetime-local value (local time, minutes precision). */
export function toLocalDateTimeValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
