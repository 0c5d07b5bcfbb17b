/** RFC 3339 date-time with seconds optional: 2025-01-31T17:00Z, 2025-01-31T17:00:00.5+01:00. Never local time. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/i;

/** Epoch milliseconds of an ISO 8601 instant that carries `Z` or an offset, or undefined (including impossible dates). */
export function parseInstant(text: string): number | undefined {
  const m = text.length <= 40 ? INSTANT.exec(text) : null;
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const millis = Number(((m[7] ?? '') + '000').slice(0, 3));
  const offsetMinutes = m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || Number(m[11] ?? 0) > 59) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (day < 1 || new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return undefined;
  return utc - offsetMinutes * 60_000;
}
