/**
 * Graph's dateTimeTimeZone: a wall-clock `dateTime` without offset ("2026-11-23T17:05:33.0000000") plus the
 * `timeZone` it is in: "UTC", an IANA name ("Europe/Paris") or a common Windows name ("Pacific Standard Time").
 */
import { readObject, readString } from './body';
import { badRequest } from './graph-error';

export interface DateTimeTimeZone {
  readonly dateTime: string;
  readonly timeZone: string;
}

/** The Windows time zone names people most often send, with the IANA zone each stands for. */
const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  UTC: 'UTC',
  'Coordinated Universal Time': 'UTC',
  'Dateline Standard Time': 'Etc/GMT+12',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Alaskan Standard Time': 'America/Anchorage',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time': 'America/Denver',
  'Central Standard Time': 'America/Chicago',
  'Eastern Standard Time': 'America/New_York',
  'Atlantic Standard Time': 'America/Halifax',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'FLE Standard Time': 'Europe/Kiev',
  'GTB Standard Time': 'Europe/Bucharest',
  'Israel Standard Time': 'Asia/Jerusalem',
  'Russian Standard Time': 'Europe/Moscow',
  'Arabian Standard Time': 'Asia/Dubai',
  'India Standard Time': 'Asia/Kolkata',
  'China Standard Time': 'Asia/Shanghai',
  'Singapore Standard Time': 'Asia/Singapore',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
};

const WINDOWS_ZONES_LOWER = new Map(Object.entries(WINDOWS_ZONES).map(([name, iana]) => [name.toLowerCase(), iana]));

/** The IANA zone for a Graph timeZone value, or undefined when it names no zone. */
function resolveTimeZone(name: string): string | undefined {
  const candidate = WINDOWS_ZONES_LOWER.get(name.toLowerCase()) ?? name;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: candidate }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

/** A `dateTime` without offset, read as if it were UTC (milliseconds), or undefined when malformed. */
function parseWallClock(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const millis = Math.floor(Number((m[7] ?? '').padEnd(7, '0')) / 10_000);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  const roundTrips =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return roundTrips ? date.getTime() : undefined;
}

/** How far `timeZone`'s wall clock is ahead of UTC at the instant `utcMs`. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(utcMs));
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = new Date(0);
  wall.setUTCFullYear(part('year'), part('month') - 1, part('day'));
  wall.setUTCHours(part('hour'), part('minute'), part('second'), 0);
  return wall.getTime() - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/** The UTC instant at which `timeZone`'s wall clock shows `wallMs` (read as UTC). */
function wallClockToUtc(wallMs: number, timeZone: string): number {
  const first = wallMs - zoneOffsetMs(wallMs, timeZone);
  const second = wallMs - zoneOffsetMs(first, timeZone);
  return second;
}

/** A Graph dateTimeTimeZone object as a UTC instant (milliseconds); throws a 400 GraphError when invalid. */
export function parseDateTimeTimeZone(value: unknown, what: string): number {
  const obj = readObject(value, what, { required: ['dateTime', 'timeZone'] });
  const wall = parseWallClock(readString(obj, 'dateTime'));
  if (wall === undefined) throw badRequest(`${what}.dateTime must look like 2026-11-23T17:05:33.0000000 (no offset).`);
  const zone = resolveTimeZone(readString(obj, 'timeZone'));
  if (zone === undefined) throw badRequest(`${what}.timeZone is not a known time zone.`);
  return wallClockToUtc(wall, zone);
}

/** A UTC instant in Graph's form: seven fraction digits, no offset, timeZone "UTC". */
export function toGraphDateTimeUtc(utcMs: number): DateTimeTimeZone {
  const iso = new Date(utcMs).toISOString();
  return { dateTime: `${iso.slice(0, 23)}0000`, timeZone: 'UTC' };
}
