/**
 * What Graph puts on every response so that a request can be traced: a fresh `request-id`, the
 * `client-request-id` the client sent (or a fresh one), a `Date`, and in an error body the same three as
 * `error.innerError`. A 401 also carries Graph's `WWW-Authenticate` challenge.
 */
import { randomUUID } from 'node:crypto';

export interface GraphTrace {
  readonly requestId: string;
  readonly clientRequestId: string;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** Graph's challenge on a 401, word for word. */
export const GRAPH_WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

export function newTrace(clientRequestId: string | undefined, at: number): GraphTrace {
  return { requestId: randomUUID(), clientRequestId: clientRequestId || randomUUID(), at };
}

/** The headers for a response with `status`. */
export function traceHeaders(trace: GraphTrace, status: number): Record<string, string> {
  return {
    'request-id': trace.requestId,
    'client-request-id': trace.clientRequestId,
    Date: new Date(trace.at).toUTCString(),
    ...(status === 401 ? { 'WWW-Authenticate': GRAPH_WWW_AUTHENTICATE } : {}),
  };
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `body` with `error.innerError` added when it is a Graph error body; anything else unchanged. */
export function withInnerError(body: unknown, trace: GraphTrace): unknown {
  if (!isRecord(body) || !isRecord(body.error)) return body;
  // Graph's innerError date has whole seconds and no offset, e.g. "2026-01-15T09:00:00".
  const innerError = { date: new Date(trace.at).toISOString().slice(0, 19), 'request-id': trace.requestId, 'client-request-id': trace.clientRequestId };
  return { ...body, error: { ...body.error, innerError } };
}
