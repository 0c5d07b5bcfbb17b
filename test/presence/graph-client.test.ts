/** GraphPresenceClient over real HTTP (undici via createHttp) against a scripted local server. */
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import sinon from 'sinon';
import { PresenceError } from '../../presence/errors';
import { GraphPresenceClient, type GraphClientOptions } from '../../presence/graph';
import { createHttp } from '../../presence/http';
import type { RetryPolicy } from '../../presence/retry';
import { graphError, recordingLogger, rejection, startScriptedServer, type RecordingLogger, type ScriptedServer } from './helpers';

const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.GRAPH-ACCESS-TOKEN-s3cr3t.signature';
const CALL = { token: TOKEN };
const USER = 'aaaaaaaa-0000-4000-8000-000000000001';
const APP_ID = '22553876-f5ab-4529-bffb-cfe50aa89f87';
const RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000, maxRetryAfterMs: 5_000 };
const PRESENCE = { id: USER, availability: 'Busy', activity: 'InACall', statusMessage: null, sequenceNumber: 'C5' };

describe('GraphPresenceClient (HTTP)', () => {
  let srv: ScriptedServer;
  let wait: sinon.SinonStub<[number], Promise<void>>;
  let logger: RecordingLogger;

  function client(overrides: Partial<GraphClientOptions> = {}): GraphPresenceClient {
    return new GraphPresenceClient({ baseUrl: `${srv.origin}/v1.0`, http: createHttp(), logger, retry: RETRY, random: () => 0.5, wait, ...overrides });
  }

  async function failure(promise: Promise<unknown>): Promise<PresenceError> {
    const err = await rejection(promise);
    assert.ok(err instanceof PresenceError, `expected a PresenceError, got ${String(err)}`);
    return err;
  }

  beforeEach(async () => {
    srv = await startScriptedServer();
    wait = sinon.stub<[number], Promise<void>>().resolves();
    logger = recordingLogger();
  });
  afterEach(() => srv.close());

  describe('requests', () => {
    it('GET /me/presence with the bearer token and returns the body', async () => {
      srv.script({ body: PRESENCE });
      const presence = await client().getMyPresence(CALL);
      assert.deepEqual(presence, PRESENCE);
      assert.equal(srv.requests.length, 1);
      const [req] = srv.requests;
      assert.equal(req?.method, 'GET');
      assert.equal(req?.path, '/v1.0/me/presence');
      assert.equal(req?.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(req?.headers.accept, 'application/json');
      assert.equal(req?.body, '');
    });

    it('an unreadable /me/presence body is graph_unavailable', async () => {
      srv.script({ body: '<html>gateway</html>' });
      const err = await failure(client().getMyPresence(CALL));
      assert.equal(err.code, 'graph_unavailable');
    });

    it('POST setPresence with the session body', async () => {
      const body = { sessionId: APP_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT1H' };
      await client().setPresence(CALL, USER, body);
      const [req] = srv.requests;
      assert.equal(req?.method, 'POST');
      assert.equal(req?.path, `/v1.0/users/${USER}/presence/setPresence`);
      assert.equal(req?.headers['content-type'], 'application/json');
      assert.equal(req?.headers.authorization, `Bearer ${TOKEN}`);
      assert.deepEqual(JSON.parse(req?.body ?? ''), body);
    });

    it('POST clearPresence with the sessionId: 200 is cleared, 404 is not_found (no retry)', async () => {
      srv.script({ status: 200 }, { status: 404, body: graphError('NotFound', 'session not found') });
      const c = client();
      assert.equal(await c.clearPresence(CALL, USER, APP_ID), 'cleared');
      assert.equal(await c.clearPresence(CALL, USER, APP_ID), 'not_found');
      assert.equal(srv.requests.length, 2);
      for (const req of srv.requests) {
        assert.equal(req.path, `/v1.0/users/${USER}/presence/clearPresence`);
        assert.deepEqual(JSON.parse(req.body), { sessionId: APP_ID });
      }
      sinon.assert.notCalled(wait);
    });

    it('POST setUserPreferredPresence with and without expirationDuration', async () => {
      const c = client();
      await c.setUserPreferredPresence(CALL, USER, { availability: 'DoNotDisturb', activity: 'DoNotDisturb', expirationDuration: 'PT8H' });
      await c.setUserPreferredPresence(CALL, USER, { availability: 'Available', activity: 'Available', expirationDuration: undefined });
      assert.deepEqual(
        srv.requests.map((r) => r.path),
        [`/v1.0/users/${USER}/presence/setUserPreferredPresence`, `/v1.0/users/${USER}/presence/setUserPreferredPresence`],
      );
      assert.deepEqual(JSON.parse(srv.requests[0]?.body ?? ''), { availability: 'DoNotDisturb', activity: 'DoNotDisturb', expirationDuration: 'PT8H' });
      assert.deepEqual(JSON.parse(srv.requests[1]?.body ?? ''), { availability: 'Available', activity: 'Available' });
    });

    it('POST clearUserPreferredPresence with {} and accepts 204', async () => {
      srv.script({ status: 204 });
      await client().clearUserPreferredPresence(CALL, USER);
      const [req] = srv.requests;
      assert.equal(req?.path, `/v1.0/users/${USER}/presence/clearUserPreferredPresence`);
      assert.equal(req?.body, '{}');
    });

    it('POST setStatusMessage with expiryDateTime in UTC, no offset, seven fractional digits', async () => {
      await client().setStatusMessage(CALL, USER, 'Focus time', new Date('2026-11-23T17:05:33.123Z'));
      const [req] = srv.requests;
      assert.equal(req?.path, `/v1.0/users/${USER}/presence/setStatusMessage`);
      assert.deepEqual(JSON.parse(req?.body ?? ''), {
        statusMessage: {
          message: { content: 'Focus time', contentType: 'text' },
          expiryDateTime: { dateTime: '2026-11-23T17:05:33.1230000', timeZone: 'UTC' },
        },
      });
    });

    it('POST setStatusMessage without expiry omits expiryDateTime; an empty message clears', async () => {
      const c = client();
      await c.setStatusMessage(CALL, USER, 'Back soon');
      await c.setStatusMessage(CALL, USER, '', new Date('2026-11-23T17:05:33.000Z'));
      assert.deepEqual(JSON.parse(srv.requests[0]?.body ?? ''), { statusMessage: { message: { content: 'Back soon', contentType: 'text' } } });
      assert.deepEqual(JSON.parse(srv.requests[1]?.body ?? ''), { statusMessage: { message: { content: '', contentType: 'text' } } });
    });

    it('encodes the user id in the path', async () => {
      await client().clearUserPreferredPresence(CALL, 'alice@contoso.com/../x');
      assert.equal(srv.requests[0]?.path, '/v1.0/users/alice%40contoso.com%2F..%2Fx/presence/clearUserPreferredPresence');
    });

    for (const suffix of ['', '/', '//']) {
      it(`base URL ${JSON.stringify(`<origin>/v1.0${suffix}`)} yields single-slash paths`, async () => {
        srv.script({ body: PRESENCE });
        const c = client({ baseUrl: `${srv.origin}/v1.0${suffix}` });
        await c.getMyPresence(CALL);
        await c.setPresence(CALL, USER, { sessionId: APP_ID, availability: 'Away', activity: 'Away' });
        assert.deepEqual(
          srv.requests.map((r) => r.path),
          ['/v1.0/me/presence', `/v1.0/users/${USER}/presence/setPresence`],
        );
      });
    }

    it('keeps the connection alive: two sequential calls share one socket', async () => {
      srv.fallback = { body: PRESENCE };
      const c = client();
      await c.getMyPresence(CALL);
      await tick(); // undici marks the connection free (drain) on the next microtask/tick
      await c.setPresence(CALL, USER, { sessionId: APP_ID, availability: 'Away', activity: 'Away' });
      assert.equal(srv.requests.length, 2);
      assert.equal(srv.requests[1]?.socket, srv.requests[0]?.socket);
      assert.equal(srv.requests[1]?.remotePort, srv.requests[0]?.remotePort);
    });

    it('a burst of back-to-back calls reuses pooled connections instead of one per call', async () => {
      srv.fallback = { body: PRESENCE };
      const c = client();
      for (let i = 0; i < 6; i++) await (i % 2 ? c.getMyPresence(CALL) : c.clearUserPreferredPresence(CALL, USER));
      assert.equal(srv.requests.length, 6);
      assert.ok(new Set(srv.requests.map((r) => r.socket)).size <= 2, 'at most two sockets for six sequential calls');
    });
  });

  describe('retries', () => {
    it('429 with Retry-After: 2 waits 2 s plus jitter below baseDelay, then succeeds', async () => {
      srv.script({ status: 429, headers: { 'retry-after': '2' }, body: graphError('TooManyRequests', 'slow down') }, { body: PRESENCE });
      const random = sinon.stub().returns(0.5);
      const presence = await client({ random }).getMyPresence(CALL);
      assert.equal(presence.availability, 'Busy');
      assert.equal(srv.requests.length, 2);
      sinon.assert.calledOnce(wait);
      const delay = wait.firstCall.args[0];
      assert.ok(delay >= 2000 && delay < 2000 + RETRY.baseDelayMs, `delay ${delay}`);
      assert.equal(delay, 2000 + 0.5 * RETRY.baseDelayMs);
      sinon.assert.calledOnce(random);
    });

    it('429 with Retry-After beyond maxRetryAfterMs throws throttled at once', async () => {
      srv.script({ status: 429, headers: { 'retry-after': '30' }, body: graphError('TooManyRequests', 'slow down') });
      const err = await failure(client().setPresence(CALL, USER, { sessionId: APP_ID, availability: 'Away', activity: 'Away' }));
      assert.equal(err.code, 'throttled');
      assert.equal(err.retryAfterSeconds, 30);
      assert.equal(srv.requests.length, 1);
      sinon.assert.notCalled(wait);
    });

    it('429 on every attempt ends as throttled after maxAttempts', async () => {
      srv.fallback = { status: 429, headers: { 'retry-after': '1' } };
      const err = await failure(client().getMyPresence(CALL));
      assert.equal(err.code, 'throttled');
      assert.equal(err.retryAfterSeconds, 1);
      assert.equal(srv.requests.length, RETRY.maxAttempts);
    });

    it('503 is retried with jittered exponential backoff, then graph_unavailable', async () => {
      srv.fallback = { status: 503, body: graphError('ServiceUnavailable', 'try later') };
      const err = await failure(client({ random: () => 0.5 }).getMyPresence(CALL));
      assert.equal(err.code, 'graph_unavailable');
      assert.equal(err.unexpected, true);
      assert.equal(srv.requests.length, RETRY.maxAttempts);
      // full jitter: random() * min(maxDelay, base * 2^(attempt-1))
      assert.deepEqual(
        wait.args.map(([ms]) => ms),
        [100, 200],
      );
    });

    it('503 then 200 succeeds on the second attempt', async () => {
      srv.script({ status: 503 }, { status: 200 });
      await client().setUserPreferredPresence(CALL, USER, { availability: 'Away', activity: 'Away' });
      assert.equal(srv.requests.length, 2);
      assert.equal(srv.requests[1]?.body, srv.requests[0]?.body);
      sinon.assert.calledOnce(wait);
    });

    it('a connection reset is retried, then succeeds', async () => {
      srv.script('destroy', { body: PRESENCE });
      const presence = await client().getMyPresence(CALL);
      assert.equal(presence.activity, 'InACall');
      assert.equal(srv.requests.length, 2);
      sinon.assert.calledOnceWithExactly(wait, 100);
      assert.ok(
        logger.lines.some((l) => l.level === 'warn'),
        'the retry is logged',
      );
    });

    it('connection resets on every attempt end as graph_unavailable', async () => {
      srv.fallback = 'destroy';
      const err = await failure(client().clearUserPreferredPresence(CALL, USER));
      assert.equal(err.code, 'graph_unavailable');
      assert.equal(srv.requests.length, RETRY.maxAttempts);
    });
  });

  describe('errors', () => {
    const cases = [
      { status: 400, code: 'invalid_request', graph: 'BadRequest' },
      { status: 401, code: 'token_expired', graph: 'InvalidAuthenticationToken' },
      { status: 403, code: 'forbidden', graph: 'Forbidden' },
      { status: 404, code: 'invalid_request', graph: 'NotFound' },
    ] as const;
    for (const c of cases) {
      it(`${c.status} is ${c.code}, not retried`, async () => {
        srv.script({ status: c.status, body: graphError(c.graph, 'nope') });
        const err = await failure(client().setPresence(CALL, USER, { sessionId: APP_ID, availability: 'Away', activity: 'Away' }));
        assert.equal(err.code, c.code);
        assert.equal(err.unexpected, false);
        assert.match(err.detail ?? '', new RegExp(`POST /users/\\{id\\}/presence/setPresence: HTTP ${c.status} ${c.graph}`));
        assert.equal(srv.requests.length, 1);
        sinon.assert.notCalled(wait);
      });
    }

    it('403 with an empty body is still forbidden', async () => {
      srv.script({ status: 403 });
      const err = await failure(client().getMyPresence(CALL));
      assert.equal(err.code, 'forbidden');
      assert.match(err.detail ?? '', /HTTP 403 none/);
    });

    it("never puts the token or Graph's message text in the error or the logs", async () => {
      const secretText = 'Access denied for user alice@contoso.com, token=sk_live_4f9c2XJ';
      srv.script(
        { status: 503, body: graphError('ServiceUnavailable', secretText) },
        { status: 429, headers: { 'retry-after': '1' }, body: graphError('TooManyRequests', secretText) },
        { status: 403, body: graphError('Forbidden', secretText) },
      );
      const err = await failure(client().setStatusMessage(CALL, USER, 'hi'));
      assert.equal(err.code, 'forbidden');
      for (const text of [err.message, err.detail ?? '', String(err.stack), logger.text()]) {
        assert.ok(!text.includes(TOKEN), 'token leaked');
        assert.ok(!text.includes('GRAPH-ACCESS-TOKEN'), 'token fragment leaked');
        assert.ok(!text.includes('sk_live_4f9c2XJ') && !text.includes('Access denied'), "Graph's message leaked");
        assert.ok(!text.includes(USER), 'user id leaked into the error/log label');
      }
    });
  });
});
