import type { CountdownParts, TabMessages } from './messages';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * When something ends, in the user's local time and locale: just the time today, the weekday and
 * time within the next six days, else the date and time.
 */
export function formatEnd(end: Date, now: Date, locale: string): string {
  const sameDay = end.toDateString() === now.toDateString();
  const withinWeek = end.getTime() - now.getTime() < 6 * DAY;
  const options: Intl.DateTimeFormatOptions = sameDay
    ? { hour: 'numeric', minute: '2-digit' }
    : withinWeek
      ? { weekday: 'short', hour: 'numeric', minute: '2-digit' }
      : { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
  return dateFormat(locale, options).format(end);
}

const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale, options);
    } catch {
      format = new Intl.DateTimeFormat(undefined, options);
    }
    formats.set(key, format);
  }
  return format;
}

export function countdownParts(msLeft: number): CountdownParts {
  const total = Math.max(0, Math.ceil(msLeft / 1000));
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}

/** A limit such as 5 minutes, 4 hours or 7 days, in the catalog's words. */
export function formatSpan(ms: number, m: TabMessages): string {
  if (ms % DAY === 0) return m.durations.days(ms / DAY);
  if (ms % HOUR === 0) return m.durations.hours(ms / HOUR);
  return m.durations.minutes(Math.round(ms / MINUTE));
}
