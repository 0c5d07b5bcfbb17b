/** OpenTelemetry's SDK with in-memory exporters behind the app's telemetry port: what a test can read back. */
import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Telemetry } from '../../presence/telemetry';
import { SCOPE, openTelemetry } from '../../telemetry/otel';

/** Collects on demand: every call reads the totals since start (cumulative). */
class OnDemandReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export interface Point {
  readonly attributes: Readonly<Record<string, unknown>>;
  /** A counter's sum, or a histogram's count of samples. */
  readonly value: number;
}

export interface RecordedTelemetry {
  readonly telemetry: Telemetry;
  spans(): ReadableSpan[];
  /** The points of one metric by its name (presence.commands, ...), since the last reset; points of 0 are left out. */
  metric(name: string): Promise<Point[]>;
  /** Forgets the spans so far, and counts metrics from now. */
  reset(): Promise<void>;
  shutdown(): Promise<void>;
}

export function recordTelemetry(): RecordedTelemetry {
  // No context manager is registered, as in production (telemetry/azure-monitor.ts): a span's parent is what the
  // code passes, so a test that finds the right parents proves they are passed.
  const exporter = new InMemorySpanExporter();
  const tracers = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new OnDemandReader();
  const meters = new MeterProvider({ readers: [reader] });
  const collect = async (): Promise<Map<string, Point[]>> => {
    const { resourceMetrics } = await reader.collect();
    const byName = new Map<string, Point[]>();
    for (const metric of resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics)) {
      const points: DataPoint<unknown>[] = metric.dataPoints;
      byName.set(
        metric.descriptor.name,
        points.map((point) => ({
          attributes: point.attributes,
          value: typeof point.value === 'number' ? point.value : (point.value as { count: number }).count,
        })),
      );
    }
    return byName;
  };
  let baseline = new Map<string, Point[]>();
  const key = (point: Point) => JSON.stringify(Object.entries(point.attributes).sort());
  return {
    telemetry: openTelemetry(tracers.getTracer(SCOPE), meters.getMeter(SCOPE)),
    spans: () => exporter.getFinishedSpans(),
    metric: async (name) => {
      const before = new Map((baseline.get(name) ?? []).map((point) => [key(point), point.value]));
      const now = (await collect()).get(name) ?? [];
      return now.map((point) => ({ ...point, value: point.value - (before.get(key(point)) ?? 0) })).filter((point) => point.value !== 0);
    },
    reset: async () => {
      exporter.reset();
      baseline = await collect();
    },
    shutdown: async () => {
      await tracers.shutdown();
      await meters.shutdown();
    },
  };
}
