/**
 * The telemetry port (presence/telemetry.ts) on the OpenTelemetry API. Whatever SDK is registered behind the API
 * receives the spans and metrics: Azure Monitor's distro in production (telemetry/azure-monitor.ts), in-memory
 * exporters in the tests.
 */
import {
  SpanKind as OtelKind,
  SpanStatusCode,
  trace,
  type Attributes as OtelAttributes,
  type Meter,
  type Span as OtelSpan,
  type Tracer,
} from '@opentelemetry/api';
import {
  METRICS,
  NO_SPAN,
  failureOf,
  type Attributes,
  type CounterKey,
  type HistogramKey,
  type Span,
  type SpanKind,
  type Telemetry,
} from '../presence/telemetry';

const KINDS: Record<SpanKind, OtelKind> = { server: OtelKind.SERVER, client: OtelKind.CLIENT, internal: OtelKind.INTERNAL, consumer: OtelKind.CONSUMER };

/** The instrumentation scope every span and metric of this app is under. */
export const SCOPE = 'teams-presence';

export function openTelemetry(tracer: Tracer, meter: Meter): Telemetry {
  const counters = new Map<CounterKey, ReturnType<Meter['createCounter']>>();
  const histograms = new Map<HistogramKey, ReturnType<Meter['createHistogram']>>();
  for (const [key, metric] of Object.entries(METRICS) as [keyof typeof METRICS, (typeof METRICS)[keyof typeof METRICS]][]) {
    const options = { unit: metric.unit, description: metric.description };
    if (metric.type === 'counter') counters.set(key as CounterKey, meter.createCounter(metric.name, options));
    else histograms.set(key as HistogramKey, meter.createHistogram(metric.name, options));
  }
  const run = async <T>(span: OtelSpan, fn: (span: Span) => Promise<T>): Promise<T> => {
    try {
      return await fn(handle(span));
    } catch (err) {
      const { code, expected } = failureOf(err);
      span.setAttribute('error.type', code);
      if (!expected) span.setStatus({ code: SpanStatusCode.ERROR, message: code });
      throw err;
    } finally {
      span.end();
    }
  };
  return {
    span: (name, options, fn) => {
      const kind = options.kind ?? 'internal';
      const settings = { kind: KINDS[kind], attributes: defined(options.attributes) };
      // An outbound call is a leaf: nothing runs inside it to be its child, so it is not made the active span.
      // Making a span active gives everything under it a new async context, and a command makes several store
      // calls through the Azure SDK's promise-heavy pipeline (the full bench: 1.34x to 1.26x CPU per turn).
      if (kind === 'client') return run(tracer.startSpan(name, settings), fn);
      return tracer.startActiveSpan(name, settings, (span) => run(span, fn));
    },
    active: () => {
      const span = trace.getActiveSpan();
      return span ? handle(span) : NO_SPAN;
    },
    traceId: () => trace.getActiveSpan()?.spanContext().traceId,
    count: (metric, attributes) => counters.get(metric)?.add(1, defined(attributes)),
    record: (metric, value, attributes) => histograms.get(metric)?.record(value, defined(attributes)),
  };
}

function handle(span: OtelSpan): Span {
  return {
    set: (attributes) => span.setAttributes(defined(attributes) ?? {}),
    rename: (name) => span.updateName(name),
    fail: (code) => {
      span.setAttribute('error.type', code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: code });
    },
  };
}

/** Without the undefined values: OpenTelemetry drops them with a warning. */
function defined(attributes: Attributes | undefined): OtelAttributes | undefined {
  if (!attributes) return undefined;
  const out: OtelAttributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}
