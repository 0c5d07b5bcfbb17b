import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { FinalJobFailure, JobScheduler } from '../../presence/jobs';
import { MemoryRecordStore } from '../../presence/memory-store';
import { tracedStore } from '../../storage/traced-store';
import { NO_SPAN, NO_TELEMETRY, tracedLogger } from '../../presence/telemetry';
import { PresenceError } from '../../presence/errors';
import { recordTelemetry } from '../support/telemetry';
import { recordingLogger } from '../tab-api/helpers';

const ALICE = { tenantId: '00000000-0000-0000-0000-000000000001', userId: '00000000-0000-0000-0000-00000000000a' };
const MINUTE = 60_000;

describe('telemetry: timers and log lines', () => {
  it("a timer's run is a span of its own with its lateness; a failed run is counted, the last try as final", async () => {
    const recorded = recordTelemetry();
    let clock = Date.parse('2026-12-01T09:00:00Z');
    const index = new MemoryRecordStore(() => clock);
    let fail: Error | undefined;
    const jobs = new JobScheduler({
      index,
      logger: recordingLogger(),
      now: () => clock,
      maxAttempts: 2,
      telemetry: recorded.telemetry,
      handlers: { restore: { run: () => (fail ? Promise.reject(fail) : Promise.resolve()) } },
    });
    await jobs.schedule(ALICE, { kind: 'restore', dueAt: new Date(clock + 10 * MINUTE), payload: {} });
    clock += 10 * MINUTE + 1500;
    assert.equal(await jobs.runDue(), 1);
    const [span] = recorded.spans();
    assert.ok(span);
    assert.equal(span.name, 'job restore');
    assert.equal(span.kind, SpanKind.CONSUMER);
    assert.equal(span.parentSpanContext, undefined);
    assert.deepEqual(span.attributes, { 'app.job.kind': 'restore', 'app.attempt': 1, 'app.job.late_ms': 1500 });
    assert.deepEqual(await recorded.metric('presence.job.lateness'), [{ attributes: { kind: 'restore' }, value: 1 }]);
    assert.deepEqual(await recorded.metric('presence.job.failures'), []);

    await recorded.reset();
    fail = new PresenceError('graph_unavailable');
    await jobs.schedule(ALICE, { kind: 'restore', dueAt: new Date(clock), payload: {} });
    assert.equal(await jobs.runDue(), 1);
    clock += 11_000; // the first retry's backoff
    assert.equal(await jobs.runDue(), 1);
    const failed = recorded.spans();
    assert.deepEqual(
      failed.map((s) => [s.name, s.attributes['app.attempt'], s.attributes['error.type'], s.status.code]),
      [
        ['job restore', 1, 'graph_unavailable', SpanStatusCode.ERROR],
        ['job restore', 2, 'graph_unavailable', SpanStatusCode.ERROR],
      ],
    );
    assert.deepEqual(await recorded.metric('presence.job.failures'), [
      { attributes: { kind: 'restore', final: false }, value: 1 },
      { attributes: { kind: 'restore', final: true }, value: 1 },
    ]);

    await recorded.reset();
    fail = new FinalJobFailure('chat gone');
    await jobs.schedule(ALICE, { kind: 'restore', dueAt: new Date(clock), payload: {} });
    assert.equal(await jobs.runDue(), 1);
    assert.deepEqual(await recorded.metric('presence.job.failures'), [{ attributes: { kind: 'restore', final: true }, value: 1 }]);
    await recorded.shutdown();
  });

  it("a timer run's store calls are under its span (passed to the handler); the schedule's, the poll's and the claim's are in no trace", async () => {
    const recorded = recordTelemetry();
    let clock = Date.parse('2026-12-01T09:00:00Z');
    const index = tracedStore(new MemoryRecordStore(() => clock), 'jobs', recorded.telemetry);
    const jobs = new JobScheduler({
      index,
      logger: recordingLogger(),
      now: () => clock,
      telemetry: recorded.telemetry,
      handlers: { restore: { run: async (_job, trace) => void (await index.read({ partition: 'x', row: 'y' }, { trace })) } },
    });
    await jobs.schedule(ALICE, { kind: 'restore', dueAt: new Date(clock + MINUTE), payload: {} });
    clock += MINUTE;
    assert.equal(await jobs.runDue(), 1);
    const spans = recorded.spans();
    const run = spans.find((span) => span.name === 'job restore');
    assert.ok(run);
    assert.deepEqual(
      spans.filter((span) => span !== run).map((span) => [span.name, span.parentSpanContext?.spanId]),
      [
        ['store read jobs', run.spanContext().spanId],
        ['store delete jobs', run.spanContext().spanId],
      ],
    );
    await recorded.shutdown();
  });

  it('a log line for a span carries its trace ID, and its correlation ID and code go on the span; without one, the line is as written', async () => {
    const recorded = recordTelemetry();
    const lines = recordingLogger();
    tracedLogger(lines, undefined).info('before any span', { n: 1 });
    await recorded.telemetry.span('presence set', {}, async (span) => {
      // After an await, as in a command: the span reaches the line because it is passed, not through an async context.
      await new Promise((resolve) => setImmediate(resolve));
      tracedLogger(lines, span).error('command failed', {
        correlationId: 'c0ffee00-0000-4000-8000-000000000001',
        code: 'graph_unavailable',
        detail: 'HTTP 503',
      });
    });
    const [span] = recorded.spans();
    assert.ok(span);
    assert.deepEqual(lines.entries[0], { level: 'info', message: 'before any span', fields: { n: 1 } });
    assert.deepEqual(lines.entries[1]?.fields, {
      correlationId: 'c0ffee00-0000-4000-8000-000000000001',
      code: 'graph_unavailable',
      detail: 'HTTP 503',
      traceId: span.spanContext().traceId,
    });
    assert.equal(span.attributes['app.correlation_id'], 'c0ffee00-0000-4000-8000-000000000001');
    assert.equal(span.attributes['app.error.code'], 'graph_unavailable');
    assert.equal(span.attributes.detail, undefined, "a line's detail stays in the log");
    await recorded.shutdown();
  });

  it('telemetry off: the logger is the one given, and a span only runs its work', async () => {
    const lines = recordingLogger();
    assert.equal(tracedLogger(lines, NO_SPAN), lines);
    assert.equal(await NO_TELEMETRY.span('x', {}, (span) => Promise.resolve(span === NO_SPAN ? 42 : 0)), 42);
    assert.equal(NO_SPAN.traceId, undefined);
  });
});
