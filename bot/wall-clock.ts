/**
 * Wall-clock time in an IANA time zone, with Intl.DateTimeFormat only (no date library).
 * A calendar date is { year, month (1-12), day }; an instant is epoch milliseconds.
 */

export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface WallTime extends CalendarDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The formatter for a zone; an absent or unknown zone is UTC. */
function formatterFor(timeZone = 'UTC'): Intl.DateTimeFormat {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      return formatterFor('UTC');
    }
    formatters.set(timeZone, fmt);
  }
  return fmt;
}

/**
 * formatToParts costs microseconds and an end time ("until 5pm") needs a few dozen wall times, mostly the same
 * instants again (the same hour today and tomorrow, the same target for every user in a zone): each is
 * remembered per zone and instant. Bounded (cleared when full): zones come from activities.
 */
const wallTimes = new Map<string, WallTime>();
const MAX_WALL_TIMES = 2_000;

/** The wall-clock time at an instant in a zone. */
export function wallTimeAt(epochMs: number, timeZone?: string): WallTime {
  const key = `${timeZone ?? ''} ${epochMs}`;
  const known = wallTimes.get(key);
  if (known) return known;
  const part: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') part[p.type] = Number(p.value);
  }
  const num = (type: string) => part[type] ?? 0;
  const wall = { year: num('year'), month: num('month'), day: num('day'), hour: num('hour') % 24, minute: num('minute'), second: num('second') };
  if (wallTimes.size >= MAX_WALL_TIMES) wallTimes.clear();
  wallTimes.set(key, wall);
  return wall;
}

/** The date `days` days after `date` on the calendar. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(epochMs: number, timeZone?: string): number {
  const w = wallTimeAt(epochMs, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in a zone; `hour` may be 24 (the midnight that ends the day).
 * A time that happens twice (clocks going back) is its first occurrence; a time that never happens
 * (clocks going forward) moves forward by the gap, as a clock would show it (02:30 becomes 03:30).
 */
export function instantOf(date: CalendarDate, hour: number, minute: number, timeZone?: string): number {
  const d = hour === 24 ? addDays(date, 1) : date;
  const h = hour % 24;
  const asUtc = Date.UTC(d.year, d.month - 1, d.day, h, minute);
  const before = offsetAt(asUtc - DAY_MS, timeZone);
  const matches = [before, offsetAt(asUtc, timeZone), offsetAt(asUtc + DAY_MS, timeZone)]
    .map((o) => asUtc - o)
    .filter((t) => {
      const w = wallTimeAt(t, timeZone);
      return w.year === d.year && w.month === d.month && w.day === d.day && w.hour === h && w.minute === minute;
    });
  return matches.length ? Math.min(...matches) : asUtc - before;
}

/** The day of the week of a calendar date, 0 (Sunday) to 6 (Saturday). */
export function dayOfWeek(date: CalendarDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}
