/**
 * How long, from the words after a state command: "8h", "1 hour 30 minutes", "for 90", "until 5pm",
 * "until tomorrow 9am". Words arrive lower-cased with trailing punctuation removed (see parse.ts).
 */
import { addDays, instantOf, wallTimeAt } from './wall-clock';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS = new Map<string, number>([
  ...['m', 'min', 'mins', 'minute', 'minutes'].map((w) => [w, MINUTE] as const),
  ...['h', 'hr', 'hrs', 'hour', 'hours'].map((w) => [w, HOUR] as const),
  ...['d', 'day', 'days'].map((w) => [w, DAY] as const),
  ...['w', 'wk', 'wks', 'week', 'weeks'].map((w) => [w, 7 * DAY] as const),
]);
const UNTIL = new Set(['until', 'till', 'til', 'untill', '\'til', '’til']);
const TOMORROW = new Set(['tomorrow', 'tmrw', 'tmr']);

export interface TimeContext {
  readonly now: Date;
  /** IANA zone of the user; UTC when absent or unknown. */
  readonly timeZone?: string;
}

/**
 * The duration in milliseconds (whole seconds) the words ask for, or undefined when they don't read
 * as one. May be zero or negative ("-5m"): range checks are the caller's.
 */
export function readDuration(words: readonly string[], context: TimeContext): number | undefined {
  const [first, ...rest] = words;
  if (first === undefined) return undefined;
  if (UNTIL.has(first)) return readEndTime(rest, context);
  const span = readSpan(first === 'for' ? rest : words);
  return span === undefined ? undefined : Math.round(span / 1000) * 1000;
}

type Lexeme = { kind: 'number'; value: number } | { kind: 'word'; value: string } | { kind: 'minus' };

function lex(text: string): Lexeme[] | undefined {
  const re = /\s*(?:(\d+(?:\.\d+)?|\.\d+)|([a-z]+)|(-))\s*/y;
  const out: Lexeme[] = [];
  while (re.lastIndex < text.length) {
    const m = re.exec(text);
    if (!m) return undefined;
    if (m[1] !== undefined) out.push({ kind: 'number', value: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ kind: 'word', value: m[2] });
    else out.push({ kind: 'minus' });
  }
  return out;
}

const isWord = (l: Lexeme | undefined, ...values: string[]) => l?.kind === 'word' && values.includes(l.value);

/**
 * "8h", "1h30m", "1h 30", "1 hour and 30 minutes", "1.5h", "an hour", "half an hour", "90" (minutes).
 * Units go from larger to smaller; a bare number is minutes, alone or after hours.
 */
function readSpan(words: readonly string[]): number | undefined {
  const lx = lex(words.join(' '));
  if (!lx?.length) return undefined;
  let total = 0;
  let negative = false;
  let lastUnit = Infinity;
  let i = 0;
  while (i < lx.length) {
    if (lastUnit !== Infinity && isWord(lx[i], 'and')) i++;
    if (lx[i]?.kind === 'minus') {
      negative = true;
      i++;
    }
    const head = lx[i++];
    let amount: number;
    if (head?.kind === 'number') amount = head.value;
    else if (isWord(head, 'a', 'an', 'one')) amount = 1;
    else if (isWord(head, 'half')) {
      amount = 0.5;
      if (isWord(lx[i], 'a', 'an')) i++;
    } else return undefined;
    const next = lx[i];
    let unit = next?.kind === 'word' ? UNITS.get(next.value) : undefined;
    if (unit !== undefined) i++;
    else if (head?.kind === 'number' && i === lx.length && (lastUnit === Infinity || lastUnit === HOUR)) unit = MINUTE;
    else return undefined;
    if (unit >= lastUnit) return undefined;
    total += amount * unit;
    lastUnit = unit;
  }
  return negative ? -total : total;
}

interface Clock {
  readonly hour: number;
  readonly minute: number;
  /** "5" or "5:30" without am/pm: 5:00 or 17:00, whichever comes first. */
  readonly twelveHourGuess: boolean;
}

/** "17:00", "5pm", "5:30 pm", "5.30pm", "noon", "midnight" (hour 24: the end of the day). */
function readClock(text: string): Clock | undefined {
  if (text === 'noon') return { hour: 12, minute: 0, twelveHourGuess: false };
  if (text === 'midnight') return { hour: 24, minute: 0, twelveHourGuess: false };
  const m = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a|p)?$/.exec(text);
  if (!m?.[1]) return undefined;
  const hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  if (minute > 59) return undefined;
  if (m[3] !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    return { hour: (hour % 12) + (m[3].startsWith('p') ? 12 : 0), minute, twelveHourGuess: false };
  }
  if (hour > 23) return undefined;
  return { hour, minute, twelveHourGuess: hour >= 1 && hour <= 12 && !m[1].startsWith('0') };
}

/**
 * Milliseconds from now to the next time the user's wall clock shows the time: today if it is still
 * ahead, else tomorrow; "tomorrow" forces tomorrow.
 */
function readEndTime(words: readonly string[], { now, timeZone }: TimeContext): number | undefined {
  const tomorrow = words.some((w) => TOMORROW.has(w));
  const clock = readClock(words.filter((w) => !TOMORROW.has(w) && w !== 'at').join(' '));
  if (!clock) return undefined;
  const nowMs = now.getTime();
  const today = wallTimeAt(nowMs, timeZone);
  const hours = clock.twelveHourGuess && !tomorrow ? [clock.hour, clock.hour + 12] : [clock.hour];
  const ends = (tomorrow ? [1] : [0, 1])
    .flatMap((days) => hours.map((hour) => instantOf(addDays(today, days), hour, clock.minute, timeZone)))
    .filter((t) => t > nowMs);
  return ends.length ? Math.round((Math.min(...ends) - nowMs) / 1000) * 1000 : undefined;
}
