/**
 * The narrow telemetry port: spans and a fixed catalog of metrics. The server supplies OpenTelemetry behind it
 * (telemetry/otel.ts) when Application Insights is configured; otherwise NO_TELEMETRY, which costs a function call.
 *
 * A span's parent is passed along explicitly (`parent`), never found in an async context: in Node 20 an async
 * context (AsyncLocalStorage), once used, makes every promise in the process dearer (BENCHMARKS.md). So what a
 * command does gets its span as an argument: the request's span goes to the command (ExecuteContext.trace), the
 * command's to its Graph calls (GraphCall.trace), its token requests (their `trace` argument), its store calls
 * (CallOptions.trace) and its log lines (tracedLogger); a timer's run passes its own (JobHandler.run).
 *
 * Attributes hold codes, kinds, counts and statuses only: never a token, a user's text, a status message, a
 * name or an address. The correlation ID a log line carries reaches the span through `tracedLogger`.
 */
import { ERROR_CODES, PresenceError } from './errors';
import type { Logger, LogFields } from './log';
import { StoreError } from './store';

export type AttributeValue = string | number | boolean;
export type Attributes = Readonly<Record<string, AttributeValue | undefined>>;

/** What the span stands for, as OpenTelemetry's kinds: an inbound request, an outbound call, work inside, a job taken from the queue. */
export type SpanKind = 'server' | 'client' | 'internal' | 'consumer';

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** The span this one is part of; none (or NO_SPAN): the root of a trace of its own. */
  readonly parent?: Span;
}

export interface Span {
  /** The trace's ID (the operation ID in Application Insights), for log lines; undefined when nothing is kept. */
  readonly traceId: string | undefined;
  set(attributes: Attributes): void;
  /** Its name once known (an inbound request's route is known only after routing). */
  rename(name: string): void;
  /** Failed with this code: `error.type`, and the span's status is an error. */
  fail(code: string): void;
}

/** The metrics, each with its unit and what its attributes are: an admin reads these names in Application Insights. */
export const METRICS = {
  commands: {
    name: 'presence.commands',
    type: 'counter',
    unit: '{command}',
    description: 'Commands run, by kind and outcome (the outcome kind, or the error code).',
  },
  graphDuration: { name: 'presence.graph.duration', type: 'histogram', unit: 'ms', description: 'Each Graph request, by operation and HTTP status.' },
  graphThrottled: { name: 'presence.graph.throttled', type: 'counter', unit: '{response}', description: "Graph's 429 answers, by operation." },
  tokenExchanges: {
    name: 'presence.token.exchanges',
    type: 'counter',
    unit: '{request}',
    description: 'Requests to Entra for a Graph token, by grant (on_behalf_of, refresh_token) and outcome.',
  },
  tokenCache: { name: 'presence.token.cache', type: 'counter', unit: '{lookup}', description: 'Graph token cache lookups, by result (hit, miss).' },
  rateLimited: {
    name: 'presence.rate_limited',
    type: 'counter',
    unit: '{request}',
    description:
      "Requests this app refused before Graph, by scope (user: a person's command rate; tenant: the tenant's Graph budget; sign_in: failed sign-ins from one address).",
  },
  jobLateness: { name: 'presence.job.lateness', type: 'histogram', unit: 'ms', description: 'How long after its due time a timer ran, by kind.' },
  jobFailures: {
    name: 'presence.job.failures',
    type: 'counter',
    unit: '{run}',
    description: 'Timer runs that failed, by kind and whether it was the last try.',
  },
} as const;

export type MetricKey = keyof typeof METRICS;
type OfType<T> = { [K in MetricKey]: (typeof METRICS)[K]['type'] extends T ? K : never }[MetricKey];
export type CounterKey = OfType<'counter'>;
export type HistogramKey = OfType<'histogram'>;

export interface Telemetry {
  /**
   * Runs `fn` inside a span, a child of `options.parent`; a throw fails the span (see failureOf) and passes on.
   * What `fn` does that should be part of it gets `span` passed along.
   */
  span<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T>;
  count(metric: CounterKey, attributes?: Attributes): void;
  record(metric: HistogramKey, value: number, attributes?: Attributes): void;
}

/** A span that keeps nothing: telemetry off, or nothing active. */
export const NO_SPAN: Span = { traceId: undefined, set() {}, rename() {}, fail() {} };

/** Telemetry off: nothing is measured or kept. */
export const NO_TELEMETRY: Telemetry = {
  span: (_name, _options, fn) => fn(NO_SPAN),
  count() {},
  record() {},
};

/**
 * A thrown value's code, and whether it is the system failing (an error status) rather than an answer the
 * product gives (someone else's write won; the user must sign in; the user is over their rate).
 */
export function failureOf(err: unknown): { readonly code: string; readonly expected: boolean } {
  if (err instanceof PresenceError) return { code: err.code, expected: ERROR_CODES[err.code].expected };
  if (err instanceof StoreError) return { code: `store_${err.code}`, expected: err.code === 'conflict' };
  return { code: err instanceof Error ? err.name : 'unknown', expected: false };
}

/**
 * The logger with the trace beside each line: a line written for `span` carries its `traceId` (the operation ID
 * in Application Insights), and a line's `correlationId` and `code` go on that span, so the reference a user
 * reads out leads to the trace, and the trace to the log lines. Without a trace it is `logger` itself.
 */
export function tracedLogger(logger: Logger, span: Span | undefined): Logger {
  const traceId = span?.traceId;
  if (!span || !traceId) return logger;
  const write =
    (level: keyof Logger) =>
    (message: string, fields?: LogFields): void => {
      const correlationId = text(fields?.correlationId);
      const code = text(fields?.code);
      if (correlationId || code) span.set({ 'app.correlation_id': correlationId, 'app.error.code': code });
      logger[level](message, { ...fields, traceId });
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
