import type { BotMessages } from './messages';

/** A valid IANA time zone, or UTC. */
export function safeTimeZone(timeZone?: string): string {
  if (!timeZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** An end time in the user's zone: "5:00 PM GMT-8" today, "Tue, Nov 24, 9:00 AM GMT-8" on another day. */
export function formatEnd(at: Date, now: Date, timeZone: string | undefined, locale = 'en-US'): string {
  const zone = safeTimeZone(timeZone);
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const sameDay = day(at) === day(now);
  return new Intl.DateTimeFormat(safeLocale(locale), {
    timeZone: zone,
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    ...(sameDay ? {} : { weekday: 'short', month: 'short', day: 'numeric' }),
  }).format(at);
}

/** "1 day", "2 hours 30 minutes", "45 minutes". */
export function formatDuration(ms: number, m: BotMessages): string {
  let minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  minutes -= days * 1440;
  const hours = Math.floor(minutes / 60);
  minutes -= hours * 60;
  const parts = [days ? m.durations.days(days) : '', hours ? m.durations.hours(hours) : '', minutes ? m.durations.minutes(minutes) : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : m.durations.minutes(0);
}

function safeLocale(locale: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length ? locale : 'en-US';
  } catch {
    return 'en-US';
  }
}
