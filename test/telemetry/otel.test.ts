/** The telemetry port on OpenTelemetry: parents as passed, and a trace the sampler dropped costs no span below its root. */
import assert from 'node:assert/strict';
import { metrics } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SamplingDecision, SimpleSpanProcessor, type Sampler } from '@opentelemetry/sdk-trace-base';
import type { Span } from '../../presence/telemetry';
import { openTelemetry } from '../../telemetry/otel';

/** Records every root but those named "dropped", and follows the parent below a root, as the distro's samplers do. */
const sampler: Sampler = {
  shouldSample: (_context, _traceId, name) => ({ decision: name === 'dropped' ? SamplingDecision.NOT_RECORD : SamplingDecision.RECORD_AND_SAMPLED }),
  toString: () => 'test sampler',
};

describe('telemetry/otel', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const telemetry = openTelemetry(provider.getTracer('test'), metrics.getMeter('test'));
  const started: string[] = [];
  const tracer = provider.getTracer('test');
  const counting = openTelemetry(
    {
      ...tracer,
      startSpan: (name, options, context) => {
        started.push(name);
        return tracer.startSpan(name, options, context);
      },
      startActiveSpan: tracer.startActiveSpan.bind(tracer),
    },
    metrics.getMeter('test'),
  );
  beforeEach(() => {
    exporter.reset();
    started.length = 0;
  });
  after(() => provider.shutdown());

  it('a recorded root: its children are recorded under it, with their own span IDs', async () => {
    await telemetry.span('root', {}, (root) => telemetry.span('child', { kind: 'client', parent: root }, () => Promise.resolve()));
    const [child, root] = exporter.getFinishedSpans();
    assert.equal(root?.name, 'root');
    assert.equal(child?.name, 'child');
    assert.equal(child?.parentSpanContext?.spanId, root?.spanContext().spanId);
    assert.equal(child?.spanContext().traceId, root?.spanContext().traceId);
  });

  it('a dropped root: no span is made below it; its children run with its handle (its trace ID), return what they return and throw what they throw', async () => {
    let rootId: string | undefined;
    let seen: Span | undefined;
    const value = await counting.span('dropped', {}, async (root) => {
      rootId = root.traceId;
      return counting.span('child', { parent: root }, (child) => {
        seen = child;
        child.set({ 'app.anything': 'goes nowhere' });
        return counting.span('grandchild', { parent: child }, () => Promise.resolve(42));
      });
    });
    assert.equal(value, 42);
    assert.deepEqual(started, ['dropped'], 'only the root was started');
    assert.equal(exporter.getFinishedSpans().length, 0);
    assert.match(rootId ?? '', /^[0-9a-f]{32}$/);
    assert.equal(seen?.traceId, rootId, 'a child carries the trace ID for its log lines');
    await assert.rejects(
      counting.span('dropped', {}, (root) => counting.span('child', { parent: root }, () => Promise.reject(new Error('boom')))),
      /boom/,
    );
  });
});
