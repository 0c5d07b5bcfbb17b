import { MAX_PLANNED } from '../../presence/ledger';
import { SCHEDULE_AHEAD_MAX_MS, STATE_NAMES } from '../../presence/model';
import type { ApiErrorCode } from './contract';
import type { Problem } from './problems';

/**
 * Every sentence the tab's API and page server send, in one catalog (English). They are for developers
 * and logs: the page maps the error code to its own words. Code elsewhere picks an entry; it never
 * builds a sentence itself.
 */
export interface ApiMessages {
  errors: Record<ApiErrorCode, (info: { retryAfterSeconds?: number }) => string>;
  invalid: (field: string, problem: Problem) => string;
  pages: { notFound: string; notBuilt: string };
}

const MINUTE = 60_000;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function durationText(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  if (minutes % (24 * 60) === 0) return plural(minutes / (24 * 60), 'day', 'days');
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour', 'hours');
  return plural(minutes, 'minute', 'minutes');
}

/** What a value the API or the service refused should have been, for the fields where "not accepted" would not say. */
const ACCEPTED: ReadonlyMap<string, string> = new Map([
  ['startAt', `startAt must be in the future and at most ${durationText(SCHEDULE_AHEAD_MAX_MS)} ahead.`],
  ['planned', `At most ${MAX_PLANNED} statuses can be planned at once: cancel one first.`],
  ['id', 'id must be the id of a planned status, as GET /api/plans lists them.'],
  ['timers', "This deployment keeps no refresh tokens (TOKEN_KEY_ID is not set), so nothing can be planned ahead and a session ends at Graph's 4 hours."],
]);

const EXPECTED: Record<Extract<Problem, { kind: 'type' }>['expected'], string> = {
  string: 'a string',
  wholeNumber: 'a whole number',
  object: 'a JSON object',
};

function invalid(field: string, problem: Problem): string {
  switch (problem.kind) {
    case 'required':
      return `${field} is required.`;
    case 'unknown':
      return `${field} is not a field of this request. Allowed: ${problem.allowed.join(', ')}.`;
    case 'type':
      return `${field} must be ${EXPECTED[problem.expected]}.`;
    case 'state':
      return `${field} must be one of: ${STATE_NAMES.join(', ')}.`;
    case 'conflict':
      return `Give ${problem.with} or ${field}, not both.`;
    case 'format':
      return `${field} must be an ISO 8601 date and time with Z or a UTC offset, e.g. 2025-01-31T17:00:00+01:00.`;
    case 'past':
      return `${field} must be in the future.`;
    case 'range':
      return `For this state, the duration must be from ${durationText(problem.minMs)} to ${durationText(problem.maxMs)}.`;
    case 'tooLong':
      return `${field} must be at most ${problem.max} characters.`;
    case 'reminderLead':
      return `${field} must be a whole number of minutes from ${problem.minMs / MINUTE} to ${problem.maxMs / MINUTE}, or null for no reminders.`;
    case 'tooLarge':
      return `The request body must be at most ${problem.maxBytes} bytes.`;
    case 'malformed':
      return 'The request body is not valid JSON.';
    case 'mediaType':
      return 'Send the body as application/json.';
    case 'notAllowed':
      return field === 'body' ? 'This request takes no body.' : `${field} is not a parameter of this request; it takes none.`;
    case 'value':
      return ACCEPTED.get(field) ?? `${field} has a value that is not accepted.`;
  }
}

export const messages: ApiMessages = {
  errors: {
    unauthenticated: () => 'Sign-in is needed: send a valid Teams SSO token as Authorization: Bearer.',
    tenant_not_allowed: () => 'Your organization is not allowed to use this app.',
    consent_required: () => 'This app needs your permission to read and set your presence.',
    token_expired: () => 'Your sign-in has expired. Try again.',
    forbidden: () => 'Microsoft Graph did not allow this presence change.',
    rate_limited: ({ retryAfterSeconds }) => `Too many requests from you. Try again in ${plural(retryAfterSeconds ?? 1, 'second', 'seconds')}.`,
    throttled: ({ retryAfterSeconds }) =>
      retryAfterSeconds ? `Too many requests. Try again in ${plural(retryAfterSeconds, 'second', 'seconds')}.` : 'Too many requests. Try again shortly.',
    invalid_request: () => 'The request is not valid.',
    graph_unavailable: () => 'Microsoft Teams presence is not available right now. Try again shortly.',
    identity_unavailable: () => 'Sign-in is not available right now. Try again shortly.',
    storage_unavailable: () => "This app's storage is not available right now. Try again shortly.",
    internal: () => 'Something went wrong on our side. Try again; if it keeps happening, report the correlation ID.',
  },
  invalid,
  pages: {
    notFound: 'Not found.',
    notBuilt: 'The tab is not built yet: run npm run build.',
  },
};
