/**
 * The catalog of coded errors. Every failure the service reports is one of these codes; the front
 * doors map a code to a sentence (chat reply, HTTP status). `detail` is for logs only and never
 * holds a token, a secret or a raw upstream message.
 */
export const ERROR_CODES = {
  /** The SSO token is missing, forged, for another audience, issuer or user, or lacks access_as_user. */
  unauthenticated: { status: 401, expected: true },
  /** No cached Graph token for this user: the front door must obtain a Teams SSO token first. */
  sso_required: { status: 401, expected: true },
  tenant_not_allowed: { status: 403, expected: true },
  consent_required: { status: 403, expected: true },
  /** An SSO token that is valid but expired, or a Graph token Graph refused: get a fresh token and retry. */
  token_expired: { status: 401, expected: true },
  forbidden: { status: 403, expected: true },
  throttled: { status: 429, expected: true },
  /** This app's own fair-use limit (per user, or per address for failed sign-ins), before anything reaches Graph. */
  rate_limited: { status: 429, expected: true },
  invalid_request: { status: 400, expected: true },
  graph_unavailable: { status: 503, expected: false },
  identity_unavailable: { status: 503, expected: false },
  /** The app's durable store could not be reached, for an operation that is nothing without it. */
  storage_unavailable: { status: 503, expected: false },
  internal: { status: 500, expected: false },
} as const;

export type PresenceErrorCode = keyof typeof ERROR_CODES;

export interface PresenceErrorInfo {
  /** Seconds to wait before trying again (throttled, rate_limited). */
  readonly retryAfterSeconds?: number;
  /** The request field that was rejected (invalid_request). */
  readonly field?: string;
  /** Safe diagnostic text for logs: status codes, Graph/Entra error codes. */
  readonly detail?: string;
  /** The longest duration allowed, for a duration past it (invalid_request on `duration`): it depends on whether timers run. */
  readonly limitMs?: number;
}

export class PresenceError extends Error {
  readonly code: PresenceErrorCode;
  readonly retryAfterSeconds?: number;
  readonly field?: string;
  readonly detail?: string;
  readonly limitMs?: number;

  constructor(code: PresenceErrorCode, info: PresenceErrorInfo = {}) {
    super(`presence error: ${code}${info.detail ? ` (${info.detail})` : ''}`);
    this.name = 'PresenceError';
    this.code = code;
    this.retryAfterSeconds = info.retryAfterSeconds;
    this.field = info.field;
    this.detail = info.detail;
    this.limitMs = info.limitMs;
  }

  /** Whether a user should be given a correlation ID for support (the failure was not their doing). */
  get unexpected(): boolean {
    return !ERROR_CODES[this.code].expected;
  }
}

/** Any thrown value as a PresenceError: unknown failures become `internal`. */
export function asPresenceError(err: unknown): PresenceError {
  if (err instanceof PresenceError) return err;
  const name = err instanceof Error ? err.name : typeof err;
  return new PresenceError('internal', { detail: name });
}
