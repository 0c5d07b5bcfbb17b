import { randomUUID } from 'node:crypto';

/**
 * The identity platform's token endpoint error body (Microsoft Entra ID's AADSTS error reference): the code's
 * sentence in `error_description` ends with the same trace ID, correlation ID and timestamp as the fields.
 */
export interface TokenErrorBody {
  readonly error: string;
  readonly error_description: string;
  readonly error_codes: number[];
  readonly timestamp: string;
  readonly trace_id: string;
  readonly correlation_id: string;
  /** Entra adds it to some errors, e.g. `consent_required` to AADSTS65001. */
  readonly suberror?: string;
}

export interface TokenError {
  readonly ok: false;
  readonly status: number;
  readonly body: TokenErrorBody;
}

/** A token endpoint refusal at `now` (the issuer's clock), as Entra words it: `AADSTS{code}: {description}`. */
export function tokenError(now: number, status: number, error: string, code: number, description: string, suberror?: string): TokenError {
  const timestamp = new Date(now)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  const trace_id = randomUUID();
  const correlation_id = randomUUID();
  const error_description = `AADSTS${code}: ${description}\r\nTrace ID: ${trace_id}\r\nCorrelation ID: ${correlation_id}\r\nTimestamp: ${timestamp}`;
  const body = { error, error_description, error_codes: [code], timestamp, trace_id, correlation_id };
  return { ok: false, status, body: suberror ? { ...body, suberror } : body };
}
