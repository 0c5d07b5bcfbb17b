import { randomUUID } from 'node:crypto';
import { ERROR_CODES, asPresenceError } from '../../presence/errors';
import type { Logger } from '../../presence/log';
import type { ApiErrorBody, ApiErrorCode } from './contract';
import { messages } from './messages';
import { RequestProblem } from './problems';

export interface ApiErrorReply {
  readonly status: number;
  readonly body: ApiErrorBody;
  readonly headers: Readonly<Record<string, string>>;
}

export interface ErrorContext {
  readonly logger: Logger;
  readonly method: string;
  /** The service names a rejected duration `duration`; the body called it this. */
  readonly durationField?: string;
}

/**
 * Any failure as the API's error: the code's HTTP status, a catalog message, and for failures that are
 * not the caller's doing a correlation ID that is also logged with the code and detail (never a token).
 */
export function apiErrorReply(err: unknown, context: ErrorContext): ApiErrorReply {
  if (err instanceof RequestProblem) {
    context.logger.info('tab api request refused', { method: context.method, code: 'invalid_request', field: err.field, problem: err.problem.kind });
    return reply(err.status, { code: 'invalid_request', message: messages.invalid(err.field, err.problem), field: err.field });
  }
  const failure = asPresenceError(err);
  // With an SSO credential the service never needs another token; if it says so, the caller is not signed in.
  const code: ApiErrorCode = failure.code === 'sso_required' ? 'unauthenticated' : failure.code;
  const field =
    code === 'invalid_request' ? (failure.field === 'duration' ? (context.durationField ?? 'durationMinutes') : (failure.field ?? 'body')) : undefined;
  const retryAfterSeconds =
    (code === 'throttled' || code === 'rate_limited') && failure.retryAfterSeconds !== undefined
      ? Math.max(1, Math.ceil(failure.retryAfterSeconds))
      : undefined;
  const message = field ? messages.invalid(field, { kind: 'value' }) : messages.errors[code]({ retryAfterSeconds });
  const fields = { method: context.method, code, detail: failure.detail };
  if (failure.unexpected) {
    const correlationId = randomUUID();
    context.logger.error('tab api request failed', { ...fields, correlationId });
    return reply(ERROR_CODES[code].status, { code, message, correlationId });
  }
  context.logger.info('tab api request refused', { ...fields, field });
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(retryAfterSeconds);
  if (ERROR_CODES[code].status === 401) headers['WWW-Authenticate'] = 'Bearer';
  return reply(ERROR_CODES[code].status, { code, message, field, retryAfterSeconds }, headers);
}

function reply(status: number, error: ApiErrorBody['error'], headers: Readonly<Record<string, string>> = {}): ApiErrorReply {
  return { status, body: { error }, headers };
}
