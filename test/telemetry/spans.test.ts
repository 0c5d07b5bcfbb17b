import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startServer, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { SANDBOX_TENANT_ID, SANDBOX_USER_ID, sayTo, startConnector, type RecordingConnector } from '../support/connector';
import { storageEnv } from '../support/storage';
import { recordTelemetry, type RecordedTelemetry } from '../support/telemetry';
import { ALICE, TENANT, UNLIMITED, call, recordingLogger, ssoToken } from '../tab-api/helpers';

/** Every string an exporter would send of these spans: names, attribute values, status messages, event names. */
function exported(spans: readonly ReadableSpan[]): string[] {
  return spans.flatMap((span) => [
    span.name,
    span.status.message ?? '',
    ...Object.entries(span.attributes).map(([key, value]) => `${key}=${String(value)}`),
    ...span.events.map((event) => event.name),
  ]);
}

function only(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  assert.equal(found.length, 1, `one span named ${name}, got ${found.length}: ${spans.map((s) => s.name).join(', ')}`);
  return found[0] as ReadableSpan;
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

/** The spans and metrics an admin reads in Application Insights, read back here from in-memory exporters. */
describe('telemetry: spans and metrics of a turn and a click', () => {
  let recorded: RecordedTelemetry;
  let app: RunningApp;
  let connector: RecordingConnector;
  const logger = recordingLogger();

  const say = (text: string) => sayTo(app.url, connector, text);

  beforeEach(async () => {
    recorded = recordTelemetry();
    app = await startServer(loadConfig({ PORT: '0', ...(await storageEnv()) }), { logger, telemetry: recorded.telemetry, ...UNLIMITED });
    connector = await startConnector();
  });
  afterEach(async () => {
    await app.close();
    await connector.close();
    await recorded.shutdown();
  });

  it('"dnd 8h" from a returning user: the request, the command under it, one Graph call and the store calls under that, no token request', async () => {
    await say('status');
    await recorded.reset();
    await say('dnd 8h');
    const spans = recorded.spans();

    const request = only(spans, 'POST /api/messages');
    assert.equal(request.kind, SpanKind.SERVER);
    assert.equal(parentOf(request), undefined, 'the request is the root');
    assert.deepEqual(request.attributes, { 'http.request.method': 'POST', 'http.route': '/api/messages', 'http.response.status_code': 200 });

    const command = only(spans, 'presence set');
    assert.equal(command.kind, SpanKind.INTERNAL);
    assert.equal(parentOf(command), idOf(request));
    assert.deepEqual(command.attributes, { 'app.command': 'set', 'app.outcome': 'set', 'app.partial': false });

    const graph = only(spans, 'graph setUserPreferredPresence');
    assert.equal(graph.kind, SpanKind.CLIENT);
    assert.equal(parentOf(graph), idOf(command));
    assert.equal(graph.attributes['http.response.status_code'], 200);
    assert.equal(graph.attributes['app.attempt'], 1);
    assert.match(String(graph.attributes['server.address']), /^127\.0\.0\.1:\d+$/);
    assert.equal(graph.status.code, SpanStatusCode.UNSET);

    const store = spans.filter((span) => span.name.startsWith('store '));
    assert.ok(store.length >= 2, 'the record is read and written');
    for (const span of store) {
      assert.equal(span.kind, SpanKind.CLIENT);
      assert.equal(parentOf(span), idOf(command), `${span.name} is the command's`);
      assert.equal(span.attributes['db.system'], 'azure_tables');
    }
    assert.ok(
      store.some((span) => span.name === 'store create jobs'),
      "the reminder's row",
    );
    assert.equal(spans.filter((span) => span.name === 'entra token').length, 0, 'a cached token: no request to Entra');
    assert.deepEqual(new Set(spans.map((span) => span.spanContext().traceId)).size, 1, 'one trace');

    assert.deepEqual(await recorded.metric('presence.commands'), [{ attributes: { kind: 'set', outcome: 'set' }, value: 1 }]);
    assert.deepEqual(await recorded.metric('presence.token.exchanges'), [], 'no exchange');
    const graphCalls = await recorded.metric('presence.graph.duration');
    assert.deepEqual(graphCalls, [{ attributes: { operation: 'setUserPreferredPresence', status: 200 }, value: 1 }]);
    assert.deepEqual(await recorded.metric('presence.token.cache'), [{ attributes: { result: 'hit' }, value: 1 }]);

    const everything = exported(spans).join('\n');
    for (const secret of [SANDBOX_USER_ID, SANDBOX_TENANT_ID, 'eyJ', 'dnd', '8h', 'Alex', '29:sandbox-user'])
      assert.ok(!everything.includes(secret), `no span holds ${secret}`);
  });

  it("a new user's first command: the exchange with Entra is a span under the command, and counted", async () => {
    await say('busy 30m');
    const spans = recorded.spans();
    const command = spans.find((span) => span.name === 'presence set' && span.attributes['app.outcome'] === 'set');
    assert.ok(command);
    const exchange = only(spans, 'entra token');
    assert.equal(exchange.kind, SpanKind.CLIENT);
    assert.equal(parentOf(exchange), idOf(command));
    assert.equal(exchange.attributes['app.grant'], 'on_behalf_of');
    assert.equal(exchange.attributes['http.response.status_code'], 200);
    assert.deepEqual(await recorded.metric('presence.token.exchanges'), [{ attributes: { grant: 'on_behalf_of', outcome: 'ok' }, value: 1 }]);
    // The bot asked first without a token (sso_required), signed the user in, and asked again: both are counted.
    const outcomes = (await recorded.metric('presence.commands')).map((p) => `${String(p.attributes.kind)} ${String(p.attributes.outcome)} ${p.value}`);
    assert.deepEqual(outcomes.sort(), ['set set 1', 'set sso_required 1']);
  });

  it('a tab click (Do not disturb for 2 hours, with a message): the request, the command, the Graph calls; the message in no span', async () => {
    const token = await ssoToken(app);
    assert.equal((await call(app.url, 'GET', { token })).status, 200);
    await recorded.reset();
    const res = await call(app.url, 'POST', { token, body: { state: 'DoNotDisturb', durationMinutes: 120, statusMessage: 'deep work on the budget' } });
    assert.equal(res.status, 200);
    const spans = recorded.spans();
    const request = only(spans, 'POST /api/presence');
    assert.equal(request.kind, SpanKind.SERVER);
    assert.equal(request.attributes['http.route'], '/api/presence');
    assert.equal(request.attributes['http.response.status_code'], 200);
    const command = only(spans, 'presence set');
    assert.equal(parentOf(command), idOf(request));
    const graph = spans.filter((span) => span.name.startsWith('graph '));
    assert.deepEqual(graph.map((span) => span.name).sort(), ['graph setStatusMessage', 'graph setUserPreferredPresence']);
    for (const span of graph) assert.equal(parentOf(span), idOf(command));
    const everything = exported(spans).join('\n');
    for (const secret of [ALICE, TENANT, token, 'eyJ', 'deep work', 'budget']) assert.ok(!everything.includes(secret), `no span holds ${secret}`);
  });

  it("a failure's reference leads from the chat to the log line and the trace: the log carries the trace ID, the span the reference", async () => {
    await say('status');
    app.sandbox?.faults.add({ path: '/users/{id}/presence/setUserPreferredPresence', fault: { kind: 'status', status: 503 }, count: 10 });
    await recorded.reset();
    logger.entries.length = 0;
    await say('dnd 8h');
    const reply = JSON.stringify(connector.activities[connector.activities.length - 1]);
    const line = logger.entries.find((entry) => entry.message === 'command failed');
    assert.ok(line?.fields, 'the failure is logged');
    const { correlationId, traceId } = line.fields as { correlationId: string; traceId: string };
    assert.ok(reply.includes(correlationId), 'the user reads the reference');
    const spans = recorded.spans();
    const request = only(spans, 'POST /api/messages');
    assert.equal(traceId, request.spanContext().traceId, "the log line names the request's trace");
    assert.equal(request.attributes['app.correlation_id'], correlationId, 'the request span holds the reference');
    assert.equal(request.attributes['app.error.code'], 'graph_unavailable');
    const command = only(spans, 'presence set');
    assert.equal(command.status.code, SpanStatusCode.ERROR);
    assert.equal(command.attributes['error.type'], 'graph_unavailable');
    const attempts = spans.filter((span) => span.name === 'graph setUserPreferredPresence');
    assert.ok(attempts.length >= 2, 'each attempt is a span');
    for (const attempt of attempts) {
      assert.equal(attempt.attributes['http.response.status_code'], 503);
      assert.equal(attempt.status.code, SpanStatusCode.ERROR);
    }
    assert.deepEqual(
      (await recorded.metric('presence.graph.duration')).map((p) => p.attributes),
      [{ operation: 'setUserPreferredPresence', status: 503 }],
    );
    assert.deepEqual(await recorded.metric('presence.commands'), [{ attributes: { kind: 'set', outcome: 'graph_unavailable' }, value: 1 }]);
  });

  it('a refused sign-in is a request span with its status, and the limit on failed sign-ins is counted', async () => {
    const app2 = await startServer(loadConfig({ PORT: '0', ...(await storageEnv()) }), {
      logger,
      telemetry: recorded.telemetry,
      authFailures: { burst: 1, perSecond: 0.001 },
    });
    try {
      assert.equal((await call(app2.url, 'GET', { token: 'not-a-token' })).status, 401);
      assert.equal((await call(app2.url, 'GET', { token: 'not-a-token' })).status, 429);
    } finally {
      await app2.close();
    }
    const requests = recorded.spans().filter((span) => span.name === 'GET /api/presence');
    assert.deepEqual(
      requests.map((span) => span.attributes['http.response.status_code']),
      [401, 429],
    );
    assert.deepEqual(await recorded.metric('presence.rate_limited'), [{ attributes: { scope: 'sign_in' }, value: 1 }]);
  });
});
