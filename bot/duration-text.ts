/**
 * How long, from the words after a state command: "8h", "1 hour 30 minutes", "for 90", "in 10", "a couple of
 * hours", "until 5pm", "3:30pm", "until tomorrow 9am", "until monday", "till eod"; and when, for a status planned
 * ahead: "tomorrow 9-11", "from 2pm for 1h". Words arrive lower-cased with trailing punctuation removed (see parse.ts).
 */
import { addDays, dayOfWeek, instantOf, wallTimeAt, type CalendarDate } from './wall-clock';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS = new Map<string, number>([
  ...['m', 'min', 'mins', 'minute', 'minutes'].map((w) => [w, MINUTE] as const),
  ...['h', 'hr', 'hrs', 'hour', 'hours'].map((w) => [w, HOUR] as const),
  ...['d', 'day', 'days'].map((w) => [w, DAY] as const),
  ...['w', 'wk', 'wks', 'week', 'weeks'].map((w) => [w, 7 * DAY] as const),
]);
const UNTIL = new Set(['until', 'till', 'til', 'untill', "'til", '’til']);
const TOMORROW = new Set(['tomorrow', 'tmrw', 'tmr', 'tomorow', 'tommorow', 'tommorrow', 'tomorro']);
const WEEKDAYS = new Map<string, number>([
  ['sunday', 0],
  ['sun', 0],
  ['monday', 1],
  ['mon', 1],
  ['tuesday', 2],
  ['tue', 2],
  ['tues', 2],
  ['wednesday', 3],
  ['wed', 3],
  ['weds', 3],
  ['thursday', 4],
  ['thu', 4],
  ['thur', 4],
  ['thurs', 4],
  ['friday', 5],
  ['fri', 5],
  ['saturday', 6],
  ['sat', 6],
]);
const NUMBER_WORDS = new Map<string, number>([
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['eight', 8],
  ['nine', 9],
  ['ten', 10],
  ['eleven', 11],
  ['twelve', 12],
  ['fifteen', 15],
  ['twenty', 20],
  ['thirty', 30],
  ['forty', 40],
  ['fifty', 50],
  ['sixty', 60],
  ['ninety', 90],
]);
/**
 * Times of day by name. They mean today's (or the named day's), never tomorrow's: "till eod" after 17:00 is
 * 'past' rather than tomorrow evening, which nobody typing it at 18:00 means.
 */
const END_OF_DAY = /^(?:the )?(?:eod|cob|eob|end of (?:the )?(?:day|business|work day|working day|workday)|close of business)$/;
const NAMED_TIMES: readonly (readonly [RegExp, number])[] = [
  [END_OF_DAY, 17],
  [/^(?:the )?(?:lunch|lunchtime|lunch time)$/, 12],
];
/**
 * The hour a named day without a time ends at ("until monday", "till tomorrow", "until next week"): 09:00
 * local, the start of a working day, so the status lasts through the night or the weekend and no longer.
 */
const DAY_START_HOUR = 9;
/** Words that start a duration, so they cannot start an unquoted status message after one ("dnd 2h until 5pm"). */
const DURATION_WORDS = new Set([
  ...UNITS.keys(),
  ...UNTIL,
  ...TOMORROW,
  ...WEEKDAYS.keys(),
  ...NUMBER_WORDS.keys(),
  'for',
  'and',
  'am',
  'pm',
  'half',
  'today',
  'next',
  'noon',
  'midnight',
  'eod',
]);

export interface TimeContext {
  readonly now: Date;
  /** IANA zone of the user; UTC when absent or unknown. */
  readonly timeZone?: string;
}

/**
 * The duration in milliseconds (whole seconds) the words ask for; 'past' for a named time of today that
 * has passed ("till eod" at 18:00); undefined when they don't read as one. May be zero or negative
 * ("-5m"): range checks are the caller's.
 */
export type DurationReading = number | 'past' | undefined;

export function readDuration(words: readonly string[], context: TimeContext): DurationReading {
  const [first, ...rest] = words;
  if (first === undefined) return undefined;
  if (UNTIL.has(first)) return readEndTime(rest, context);
  if (/^(?:for )?(?:the )?rest of (?:the )?day$/.test(words.join(' '))) return readEndTime(['eod'], context);
  const span = readSpan(first === 'for' || first === 'in' ? rest : words);
  if (span !== undefined) return wholeSeconds(span);
  // A clock time without "until" ("busy 3:30pm", "busy 17:00") is still an end time; a bare number stays minutes.
  const text = words.join(' ');
  if (/^\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a|p)$|^\d{1,2}:\d{2}$|^\d{1,2} o['’]?clock$/.test(text)) return readEndTime(words, context);
  // So is the end of the day ("dnd eod"); lunch is not ("brb lunch" is a status message, not until noon).
  return END_OF_DAY.test(namedTimeText(text)) ? readEndTime(words, context) : undefined;
}

/** Whether words read as a span end in a number without its unit ("8", "in 10", "1h 30"), which is minutes. */
export function endsBareNumber(words: readonly string[]): boolean {
  const last = words[words.length - 1] ?? '';
  return /^\d+(?:\.\d+)?$/.test(last) || NUMBER_WORDS.has(last);
}

/** Whether a word can start a duration, so an unquoted status message cannot start with it. */
export function startsDuration(word: string): boolean {
  return /^[-+.\d]/.test(word) || DURATION_WORDS.has(word);
}

/** Rounded up: a span to an end time the user named (until 17:00) never ends before it. */
export const wholeSeconds = (ms: number) => Math.ceil(ms / 1000) * 1000;

type Lexeme = { kind: 'number'; value: number } | { kind: 'word'; value: string } | { kind: 'minus' };

function lex(text: string): Lexeme[] | undefined {
  const re = /\s*(?:(\d+(?:\.\d+)?|\.\d+)|([a-z]+)|(-))\s*/y;
  const out: Lexeme[] = [];
  while (re.lastIndex < text.length) {
    const m = re.exec(text);
    if (!m) return undefined;
    if (m[1] !== undefined) out.push({ kind: 'number', value: Number(m[1]) });
    else if (m[2] !== undefined) {
      const n = NUMBER_WORDS.get(m[2]);
      out.push(n === undefined ? { kind: 'word', value: m[2] } : { kind: 'number', value: n });
    } else out.push({ kind: 'minus' });
  }
  return out;
}

const isWord = (l: Lexeme | undefined, ...values: string[]) => l?.kind === 'word' && values.includes(l.value);
/** "and a half" at lx[i] ("an hour and a half", "1 and a half hours"). */
const andAHalf = (lx: readonly Lexeme[], i: number) => isWord(lx[i], 'and') && isWord(lx[i + 1], 'a') && isWord(lx[i + 2], 'half');

/**
 * "8h", "1h30m", "1h 30", "1 hour and 30 minutes", "1.5h", "an hour", "two hours", "a couple of hours",
 * "half an hour", "an hour and a half", "half a day" (4 hours: a working half day), "90" (minutes).
 * Units go from larger to smaller; a bare number is minutes, alone or after hours.
 */
function readSpan(words: readonly string[]): number | undefined {
  const lx = lex(words.join(' ').replace(/\b(?:a )?couple(?: of)?\b/g, '2'));
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
    else if (isWord(head, 'a', 'an')) amount = 1;
    else if (isWord(head, 'half')) {
      amount = 0.5;
      if (isWord(lx[i], 'a', 'an')) i++;
    } else return undefined;
    if (andAHalf(lx, i)) {
      amount += 0.5;
      i += 3;
    }
    const next = lx[i];
    let unit = next?.kind === 'word' ? UNITS.get(next.value) : undefined;
    if (unit !== undefined) i++;
    else if (head?.kind === 'number' && i === lx.length && (lastUnit === Infinity || lastUnit === HOUR)) unit = MINUTE;
    else return undefined;
    if (unit >= lastUnit) return undefined;
    if (andAHalf(lx, i)) {
      amount += 0.5;
      i += 3;
    }
    total += amount === 0.5 && unit === DAY ? 4 * HOUR : amount * unit;
    lastUnit = unit;
  }
  return negative ? -total : total;
}

interface Clock {
  readonly hour: number;
  readonly minute: number;
  /** "5" or "5:30" without am/pm: 5:00 or 17:00, whichever comes first. */
  readonly twelveHourGuess: boolean;
  /** Typed with am or pm ("5pm"), which a range's start without one follows ("9-11pm"). */
  readonly amPm?: true;
}

/** A time of day by name ("eod", "lunch": NAMED_TIMES) or on the clock (readClock). */
function timeOfDay(text: string): Clock | undefined {
  const named = NAMED_TIMES.find(([re]) => re.test(namedTimeText(text)))?.[1];
  return named === undefined ? readClock(text) : { hour: named, minute: 0, twelveHourGuess: false };
}

/** A named time as written with hyphens too ("end-of-day"). */
const namedTimeText = (text: string) => text.replace(/-/g, ' ');

/** "17:00", "5pm", "5:30 pm", "5.30pm", "5 o'clock", "noon", "midnight" (hour 24: the end of the day). */
function readClock(typed: string): Clock | undefined {
  const text = typed.replace(/\s*o['’]?clock$/, '');
  if (text === 'noon') return { hour: 12, minute: 0, twelveHourGuess: false };
  if (text === 'midnight') return { hour: 24, minute: 0, twelveHourGuess: false };
  const m = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a|p)?$/.exec(text);
  if (!m?.[1]) return undefined;
  const hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  if (minute > 59) return undefined;
  if (m[3] !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    return { hour: (hour % 12) + (m[3].startsWith('p') ? 12 : 0), minute, twelveHourGuess: false, amPm: true };
  }
  if (hour > 23) return undefined;
  return { hour, minute, twelveHourGuess: hour >= 1 && hour <= 12 && !m[1].startsWith('0') };
}

/**
 * Milliseconds from now to an end time on the user's wall clock. A bare clock time is the next time the
 * clock shows it (today if still ahead, else tomorrow). A named day ("tomorrow", "monday", "next week")
 * is that day at the clock time given, else at DAY_START_HOUR; a weekday is the next one after today,
 * never today ("until friday" on a Friday is a week away), and "next monday" is the same as "monday".
 * A named time ("eod", "lunch") is today's unless a day is named, and 'past' once it has passed.
 */
function readEndTime(words: readonly string[], { now, timeZone }: TimeContext): DurationReading {
  const nowMs = now.getTime();
  const today = wallTimeAt(nowMs, timeZone);
  const day = readDay(
    words.filter((w) => w !== 'at' && w !== 'on' && w !== 'this'),
    today,
  );
  if (!day) return undefined;
  const { days, rest } = day;
  const timeText = rest.join(' ');
  const named = NAMED_TIMES.some(([re]) => re.test(namedTimeText(timeText)));
  // "until monday morning" is "until monday": a named day already ends when its working day starts.
  const dayStart = days !== undefined && (timeText === '' || timeText === 'morning');
  const clock = dayStart ? { hour: DAY_START_HOUR, minute: 0, twelveHourGuess: false } : timeOfDay(timeText);
  if (!clock) return undefined;
  if (days !== undefined || named) {
    const end = instantOf(addDays(today, days ?? 0), clock.hour, clock.minute, timeZone);
    return end > nowMs ? wholeSeconds(end - nowMs) : 'past';
  }
  const hours = clock.twelveHourGuess ? [clock.hour, clock.hour + 12] : [clock.hour];
  const ends = [0, 1].flatMap((d) => hours.map((hour) => instantOf(addDays(today, d), hour, clock.minute, timeZone))).filter((t) => t > nowMs);
  return ends.length ? wholeSeconds(Math.min(...ends) - nowMs) : undefined;
}

/** The day named among the words, as days from today, and the other words; undefined when two days are named. */
function readDay(words: readonly string[], today: CalendarDate): { days?: number; rest: string[] } | undefined {
  let days: number | undefined;
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const after = words[i + 1] ?? '';
    let d: number | undefined;
    if (TOMORROW.has(word)) d = 1;
    else if (word === 'today') d = 0;
    else if (word === 'next' && after === 'week') d = daysUntil(today, 1);
    else d = WEEKDAYS.has(word) ? daysUntil(today, WEEKDAYS.get(word) ?? 0) : undefined;
    if (word === 'next' && WEEKDAYS.has(after)) continue;
    if (d === undefined) {
      rest.push(word);
      continue;
    }
    if (days !== undefined) return undefined;
    days = d;
    if (word === 'next') i++;
  }
  return { days, rest };
}

/** Days from today to the next given weekday (0 Sunday to 6 Saturday): 1 to 7, never today. */
const daysUntil = (today: CalendarDate, weekday: number) => ((weekday - dayOfWeek(today) + 6) % 7) + 1;

/** The instants a planned status starts and ends (epoch milliseconds). The end may be at or before the start: refusing that is the caller's. */
export interface ScheduleReading {
  readonly startMs: number;
  readonly endMs: number;
}

const DASHES = new Set(['-', '–', '—']);
/** Between the two times of a range: "9-11", "2pm to 4pm", "from 2pm until 4pm". */
const RANGE_SEPARATORS = new Set([...DASHES, 'to', ...UNTIL]);
/** Words that name a day before or after a range ("tomorrow 9-11", "9-11 on monday"); readDay reads them. */
const DAY_WORDS = new Set([...TOMORROW, 'today', ...WEEKDAYS.keys(), 'next', 'week', 'on', 'this']);

/** The words of a range: "9-11" and "9am–11am" are three (a dash, ASCII or typographic, stands alone); "at" is dropped ("tomorrow at 9-11"). */
const rangeWords = (words: readonly string[]) => words.flatMap((word) => word.split(/([-–—])/)).filter((w) => w !== '' && w !== 'at');

/**
 * Whether the words start like a planned status, after any day: "from …", a time and a dash ("9-…"), or a time
 * followed by "to" or "until" and what may be another time ("2pm to 4pm", "2pm until eod"), or by "for" and what
 * may be a span ("2pm for 1h"). "busy 3:30pm" (an end time), "dnd tomorrow 9"
 * and "brb 10 for lunch" do not; "dnd 2h until 5pm" does not either (2h is no time of day).
 */
export function startsSchedule(words: readonly string[]): boolean {
  const sub = rangeWords(words);
  let i = 0;
  while (DAY_WORDS.has(sub[i] ?? '')) i++;
  if (sub[i] === 'from') return true;
  const [one = '', two] = sub.slice(i);
  // "9 am - 11 am": the time may be two words.
  const length = two !== undefined && timeOfDay(`${one} ${two}`) ? 2 : timeOfDay(one) ? 1 : 0;
  if (!length) return false;
  const next = sub[i + length] ?? '';
  const after = sub.slice(i + length + 1);
  const [word = ''] = after;
  if (DASHES.has(next)) return true;
  if (RANGE_SEPARATORS.has(next)) return startsDuration(word) || timeOfDay(after.join(' ')) !== undefined;
  return next === 'for' && (startsDuration(word) || word === 'a' || word === 'an' || word === 'couple');
}

/**
 * The words, all of them, as a status planned on the user's wall clock: a day (or none: today), "from" or not, then
 * a start and an end ("9-11", "2pm to 4pm", "14:00 until 16:00") or a start and a span ("2pm for 1h"); the day may
 * come last instead ("9-11 tomorrow"). Days read as for an end time ("monday" is the next one, never today).
 * Undefined when the words are no such thing; a time that has passed is still read (today's), for the caller to judge.
 */
export function readSchedule(words: readonly string[], { now, timeZone }: TimeContext): ScheduleReading | undefined {
  const sub = rangeWords(words);
  let first = 0;
  while (first < sub.length && DAY_WORDS.has(sub[first] ?? '')) first++;
  let last = sub.length;
  while (last > first && DAY_WORDS.has(sub[last - 1] ?? '')) last--;
  const today = wallTimeAt(now.getTime(), timeZone);
  const day = readDay(
    [...sub.slice(0, first), ...sub.slice(last)].filter((w) => w !== 'on' && w !== 'this'),
    today,
  );
  if (!day || day.rest.length) return undefined;
  const times = sub.slice(sub[first] === 'from' ? first + 1 : first, last);
  const sep = times.findIndex((w) => w === 'for' || RANGE_SEPARATORS.has(w));
  const start = sep > 0 ? timeOfDay(times.slice(0, sep).join(' ')) : undefined;
  if (!start) return undefined;
  const date = addDays(today, day.days ?? 0);
  const after = times.slice(sep + 1);
  if (times[sep] === 'for') {
    const span = readSpan(after);
    if (span === undefined) return undefined;
    const startMs = instantOf(date, startHour(start), start.minute, timeZone);
    return { startMs, endMs: startMs + wholeSeconds(span) };
  }
  const end = timeOfDay(after.join(' '));
  if (!end) return undefined;
  const hours = rangeHours(start, end);
  return { startMs: instantOf(date, hours.start, start.minute, timeZone), endMs: instantOf(date, hours.end, end.minute, timeZone) };
}

/**
 * The hour a planned status starts at, as people mean an hour without am/pm at work: 1 to 7 is the afternoon
 * ("2" is 14:00), 8 to 12 the morning ("9" is 09:00, "12" noon). Midnight as a start is the one that begins the day.
 */
function startHour(start: Clock): number {
  if (start.twelveHourGuess) return start.hour <= 7 ? start.hour + 12 : start.hour;
  return start.hour === 24 ? 0 : start.hour;
}

/**
 * The hours of a range. A start without am/pm is read as startHour says ("2-4" starts at 14:00, "9-11" at 09:00),
 * except before an end with am/pm, where it is the later reading that comes before the end ("9-11pm" is 21:00-23:00,
 * "11-1pm" 11:00-13:00). An end without am/pm is the reading less than 12 hours after the start ("11-1" is
 * 11:00-13:00, "9-5" 09:00-17:00, "7-9" 19:00-21:00); when there is none ("4-2", "9-9") it stays at or before the
 * start, for the caller to refuse. An end at 00:00 ("12am") is the midnight that ends the day.
 */
function rangeHours(start: Clock, end: Clock): { start: number; end: number } {
  const minutes = (hour: number, clock: Clock) => hour * 60 + clock.minute;
  let from = startHour(start);
  if (start.twelveHourGuess && end.amPm) {
    const until = minutes(end.hour === 0 && end.minute === 0 ? 24 : end.hour, end);
    from = [start.hour + 12, start.hour].find((h) => minutes(h, start) < until) ?? start.hour;
  }
  if (!end.twelveHourGuess) return { start: from, end: end.hour === 0 && end.minute === 0 ? 24 : end.hour };
  const after = (h: number) => minutes(h, end) - minutes(from, start);
  return { start: from, end: [end.hour, end.hour + 12].find((h) => after(h) > 0 && after(h) < 12 * 60 && minutes(h, end) <= 24 * 60) ?? end.hour };
}
