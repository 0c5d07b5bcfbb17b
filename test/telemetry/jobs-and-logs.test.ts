import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { FinalJobFailure, JobScheduler } from '../../presence/jobs';
import { MemoryRecordStore } from '../../presence/memory-store';
import { NO_TELEMETRY, tracedLogger } from '../../presence/telemetry';
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

  it('a log line inside a span carries its trace ID, and its correlation ID and code go on the span; outside one, the line is as written', async () => {
    const recorded = recordTelemetry();
    const lines = recordingLogger();
    const logger = tracedLogger(lines, recorded.telemetry);
    logger.info('before any span', { n: 1 });
    await recorded.telemetry.span('presence set', {}, () => {
      logger.error('command failed', { correlationId: 'c0ffee00-0000-4000-8000-000000000001', code: 'graph_unavailable', detail: 'HTTP 503' });
      return Promise.resolve();
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
    assert.equal(tracedLogger(lines, NO_TELEMETRY), lines);
    assert.equal(await NO_TELEMETRY.span('x', {}, () => Promise.resolve(42)), 42);
    assert.equal(NO_TELEMETRY.traceId(), undefined);
  });
});
