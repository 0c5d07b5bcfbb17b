/**
 * The telemetry port (presence/telemetry.ts) on the OpenTelemetry API. Whatever SDK is registered behind the API
 * receives the spans and metrics: Azure Monitor's distro in production (telemetry/azure-monitor.ts), in-memory
 * exporters in the tests.
 */
import {
  ROOT_CONTEXT,
  SpanKind as OtelKind,
  SpanStatusCode,
  trace,
  type Attributes as OtelAttributes,
  type Meter,
  type Span as OtelSpan,
  type Tracer,
} from '@opentelemetry/api';
import { METRICS, failureOf, type Attributes, type CounterKey, type HistogramKey, type Span, type SpanKind, type Telemetry } from '../presence/telemetry';

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
      return await fn(new Handle(span));
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
      const parent = options.parent instanceof Handle ? options.parent : undefined;
      // A trace the sampler dropped at its root is not recorded below it either (the distro's samplers follow the
      // parent): its children are not made at all, and the parent's handle stands in for them (the same trace ID for
      // log lines; what they set goes nowhere, as it would on theirs). Most turns are such traces once more than 5 a
      // second are served, so this is most of what telemetry would cost.
      if (parent && !parent.span.isRecording()) return fn(parent);
      const settings = { kind: KINDS[options.kind ?? 'internal'], attributes: defined(options.attributes) };
      // The parent is the one passed, never an async context's (presence/telemetry.ts says why).
      return run(tracer.startSpan(name, settings, parent ? trace.setSpan(ROOT_CONTEXT, parent.span) : ROOT_CONTEXT), fn);
    },
    count: (metric, attributes) => counters.get(metric)?.add(1, defined(attributes)),
    record: (metric, value, attributes) => histograms.get(metric)?.record(value, defined(attributes)),
  };
}

/** The port's span over OpenTelemetry's; a parent passed in `SpanOptions` is recognised by its class. */
class Handle implements Span {
  constructor(readonly span: OtelSpan) {}

  get traceId(): string | undefined {
    const context = this.span.spanContext();
    return trace.isSpanContextValid(context) ? context.traceId : undefined;
  }

  set(attributes: Attributes): void {
    this.span.setAttributes(defined(attributes) ?? {});
  }

  rename(name: string): void {
    this.span.updateName(name);
  }

  fail(code: string): void {
    this.span.setAttribute('error.type', code);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: code });
  }
}

/** Without the undefined values: OpenTelemetry drops them with a warning. */
function defined(attributes: Attributes | undefined): OtelAttributes | undefined {
  if (!attributes) return undefined;
  const out: OtelAttributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}
