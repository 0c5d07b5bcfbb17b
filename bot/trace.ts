import type { TurnContext } from 'botbuilder';
import type { Span } from '../presence/telemetry';

/** Where a turn keeps its request's span (edge/trace-requests.ts), for the commands and store calls the turn makes. */
const TRACE = Symbol('request span');

export function withTrace(context: TurnContext, span: Span | undefined): void {
  if (span) context.turnState.set(TRACE, span);
}

/** The span of the request this turn came in; undefined outside a traced request (telemetry off, a proactive send). */
export function traceOf(context: TurnContext): Span | undefined {
  return context.turnState.get<Span | undefined>(TRACE);
}
