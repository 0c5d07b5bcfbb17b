import type { BotMessages } from './messages';

/**
 * Building an Intl.DateTimeFormat (or checking a locale) costs tens of microseconds, more than the rest of a
 * reply: each zone check, locale check and formatter is made once and reused. Zones and locales come from
 * activities, so the caches are bounded (cleared when full).
 */
const MAX_REMEMBERED = 500;
const zones = new Map<string, string>();
const locales = new Map<string, string>();
const formatters = new Map<string, Intl.DateTimeFormat>();

function remember<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    if (map.size >= MAX_REMEMBERED) map.clear();
    value = make();
    map.set(key, value);
  }
  return value;
}

/** A valid IANA time zone, or UTC. */
function safeTimeZone(timeZone?: string): string {
  if (!timeZone) return 'UTC';
  return remember(zones, timeZone, () => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      return timeZone;
    } catch {
      return 'UTC';
    }
  });
}

/** A span in the user's zone, its day said once: "9:00 – 11:00 AM GMT-8" today, "Wed, Dec 2, 9:00 – 11:00 AM EST" on another. */
export function formatSpan(from: Date, to: Date, now: Date, timeZone: string | undefined, locale = 'en-US'): string {
  return endFormat(from, now, timeZone, locale).formatRange(from, to);
}

/** An end time in the user's zone: "5:00 PM GMT-8" today, "Tue, Nov 24, 9:00 AM GMT-8" on another day. */
export function formatEnd(at: Date, now: Date, timeZone: string | undefined, locale = 'en-US'): string {
  return endFormat(at, now, timeZone, locale).format(at);
}

function endFormat(at: Date, now: Date, timeZone: string | undefined, locale: string): Intl.DateTimeFormat {
  const zone = safeTimeZone(timeZone);
  const day = remember(
    formatters,
    `day ${zone}`,
    () => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  );
  const sameDay = day.format(at) === day.format(now);
  const lang = remember(locales, locale, () => safeLocale(locale));
  return remember(
    formatters,
    `end ${lang} ${zone} ${sameDay}`,
    () =>
      new Intl.DateTimeFormat(lang, {
        timeZone: zone,
        hour: 'numeric',
        minute: '2-digit',
        timeZoneName: 'short',
        ...(sameDay ? {} : { weekday: 'short', month: 'short', day: 'numeric' }),
      }),
  );
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
