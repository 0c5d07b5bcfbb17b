/**
 * The product under Graph faults, injected into the sandbox's Graph emulator (sandbox/graph/faults.ts): throttling,
 * server errors, dropped connections, a hung Graph and a command that only partly succeeds, over the tab's API and
 * the bot. Each test has an app of its own: a 429 holds the tenant in the app's Graph budget for its Retry-After.
 */
import assert from 'node:assert/strict';
import { messagesFor } from '../../bot/messages';
import { DEFAULT_RETRY } from '../../presence/retry';
import type { FaultRuleInput } from '../../sandbox/graph/faults';
import type { RunningApp, StartOptions } from '../../server/app';
import { SANDBOX_USER_ID, chat, said, startConnector, type RecordingConnector } from '../support/connector';
import { ALICE, call, ssoToken, type ApiError } from '../tab-api/helpers';
import { graphLog, sandboxOf, startAppWith } from './helpers';

const m = messagesFor('en-US');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Rules that fault every matching request a test makes. */
const EVERY = 1_000;

interface SetBody {
  set: { state: string; statusMessage?: string; partial?: { part: string; code: string; correlationId?: string }[] };
}
interface ClearedBody {
  cleared: { sessionExisted: boolean; partial?: { part: string; code: string; correlationId?: string }[] };
}
interface ReadBody {
  presence: { availability: string; activity: string; source: string };
  preferred?: { state: string };
}

/** Resolves with the result and how long it took. */
async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
}

/** The bot's sentence for an unexpected failure: the catalog's, and a reference. */
function assertUnavailableSentence(text: unknown): void {
  assert.equal(typeof text, 'string');
  const id = String(text).split(' ').pop() ?? '';
  assert.match(id, UUID);
  assert.equal(text, `${m.errors.graph_unavailable({})} ${m.correlation(id)}`);
}

describe('hardening: Graph faults (real HTTP)', function () {
  this.timeout(30_000);
  let app: RunningApp;
  let connector: RecordingConnector;
  let token: string;

  const start = async (options: StartOptions = {}) => {
    app = await startAppWith({ drainMs: 1_000, ...options });
    token = await ssoToken(app, ALICE);
  };
  const fault = (rule: FaultRuleInput) => sandboxOf(app).faults.add(rule);
  const log = async () => (await graphLog(app)).map((r) => `${r.method} ${r.path} ${r.status}${r.fault ? ' faulted' : ''}`);

  beforeEach(async () => {
    connector = await startConnector();
  });
  afterEach(async () => {
    await app.close();
    await connector.close();
  });

  describe('throttling', () => {
    it('429 with Retry-After 2 on the next request: waited out, retried once, and served', async () => {
      await start();
      fault({ path: '/me/presence', fault: { kind: 'status', status: 429, retryAfterSeconds: 2 } });
      const { result, ms } = await timed(() => call(app.url, 'GET', { token }));
      assert.equal(result.status, 200);
      assert.ok(ms >= 2_000, `answered after ${ms} ms: the Retry-After was waited out`);
      assert.deepEqual(await log(), ['GET /v1.0/me/presence 429 faulted', 'GET /v1.0/me/presence 200']);
    });

    it('429 with Retry-After 60: the tab is told throttled, Retry-After 60, at once', async () => {
      await start();
      fault({ path: '/me/presence', fault: { kind: 'status', status: 429, retryAfterSeconds: 60 } });
      const { result, ms } = await timed(() => call<ApiError>(app.url, 'GET', { token }));
      assert.equal(result.status, 429);
      assert.equal(result.body.error.code, 'throttled');
      assert.equal(result.body.error.retryAfterSeconds, 60);
      assert.equal(result.headers.get('retry-after'), '60');
      assert.ok(ms < 1_000, `answered in ${ms} ms, not after 60 s`);
      assert.deepEqual(await log(), ['GET /v1.0/me/presence 429 faulted'], 'no retry');
    });

    it('429 with Retry-After 60: the bot says so with the catalog’s throttled sentence, at once', async () => {
      await start();
      fault({ path: '/users/{id}/presence/setUserPreferredPresence', fault: { kind: 'status', status: 429, retryAfterSeconds: 60 } });
      const { result, ms } = await timed(() => chat(app.url, connector, 'dnd 1h'));
      assert.equal(said(result), m.errors.throttled({ retryAfterSeconds: 60 }));
      assert.ok(ms < 1_500, `answered in ${ms} ms`);
      assert.equal(sandboxOf(app).emulator.snapshot(SANDBOX_USER_ID).preferredPresence, null, 'nothing was set');
    });
  });

  describe('server errors', () => {
    for (const status of [500, 503]) {
      it(`${status} on every request: graph_unavailable with a correlation ID, after ${DEFAULT_RETRY.maxAttempts} attempts, within the deadline`, async () => {
        await start();
        fault({ fault: { kind: 'status', status }, count: EVERY });
        const { result, ms } = await timed(() => call<ApiError>(app.url, 'GET', { token }));
        assert.equal(result.status, 503);
        assert.equal(result.body.error.code, 'graph_unavailable');
        assert.match(result.body.error.correlationId ?? '', UUID);
        assert.deepEqual(await log(), new Array<string>(DEFAULT_RETRY.maxAttempts).fill(`GET /v1.0/me/presence ${status} faulted`));
        assert.ok(ms < 5_000, `answered in ${ms} ms (deadline 10 s)`);
      });
    }

    it('503 on every request: the bot answers its unavailable sentence with a reference', async () => {
      await start();
      fault({ fault: { kind: 'status', status: 503 }, count: EVERY });
      const reply = await chat(app.url, connector, 'busy 1h');
      assertUnavailableSentence(said(reply));
      assert.equal((await graphLog(app)).length, DEFAULT_RETRY.maxAttempts);
    });
  });

  describe('dropped connections', () => {
    it('a reset connection is retried and the command succeeds', async () => {
      await start();
      fault({ path: '/me/presence', fault: { kind: 'reset' } });
      const result = await call(app.url, 'GET', { token });
      assert.equal(result.status, 200);
      assert.deepEqual(await log(), ['GET /v1.0/me/presence 0 faulted', 'GET /v1.0/me/presence 200']);
    });

    it('a reset on every request: graph_unavailable after the bounded retries, from the tab and the bot', async () => {
      await start();
      fault({ fault: { kind: 'reset' }, count: EVERY });
      const result = await call<ApiError>(app.url, 'GET', { token });
      assert.equal(result.status, 503);
      assert.equal(result.body.error.code, 'graph_unavailable');
      assert.match(result.body.error.correlationId ?? '', UUID);
      assert.deepEqual(await log(), new Array<string>(DEFAULT_RETRY.maxAttempts).fill('GET /v1.0/me/presence 0 faulted'));
      assertUnavailableSentence(said(await chat(app.url, connector, 'status')));
    });
  });

  describe('a hung Graph (deadlineMs 1000, a 5 s delay)', () => {
    it('the tab API answers 503 graph_unavailable in about a second', async () => {
      await start({ deadlineMs: 1_000 });
      fault({ fault: { kind: 'delay', ms: 5_000 }, count: EVERY });
      const { result, ms } = await timed(() => call<ApiError>(app.url, 'GET', { token }));
      assert.equal(result.status, 503);
      assert.equal(result.body.error.code, 'graph_unavailable');
      assert.match(result.body.error.correlationId ?? '', UUID);
      assert.ok(ms >= 900 && ms < 2_500, `answered in ${ms} ms`);
    });

    it('the bot answers its unavailable sentence within the deadline', async () => {
      await start({ deadlineMs: 1_000 });
      fault({ fault: { kind: 'delay', ms: 5_000 }, count: EVERY });
      const { result, ms } = await timed(() => chat(app.url, connector, 'dnd 1h'));
      assertUnavailableSentence(said(result));
      assert.ok(ms < 2_500, `answered in ${ms} ms`);
    });
  });

  describe('partial success', () => {
    it('the status message fails: 200, partial statusMessage, Busy is set and recorded as this app’s', async () => {
      await start();
      fault({ path: '/users/{id}/presence/setStatusMessage', fault: { kind: 'status', status: 503 }, count: EVERY });
      const result = await call<SetBody>(app.url, 'POST', { token, body: { state: 'Busy', durationMinutes: 60, statusMessage: 'x' } });
      assert.equal(result.status, 200);
      assert.equal(result.body.set.state, 'Busy');
      assert.equal(result.body.set.statusMessage, undefined, 'the message is not reported as set');
      assert.equal(result.body.set.partial?.length, 1);
      assert.equal(result.body.set.partial[0]?.part, 'statusMessage');
      assert.equal(result.body.set.partial[0]?.code, 'graph_unavailable');
      assert.match(result.body.set.partial[0]?.correlationId ?? '', UUID);
      const seen = sandboxOf(app).emulator.snapshot(ALICE);
      assert.deepEqual([seen.preferredPresence?.availability, seen.preferredPresence?.activity, seen.statusMessage], ['Busy', 'Busy', null]);
      const read = await call<ReadBody>(app.url, 'GET', { token });
      assert.equal(read.status, 200);
      assert.equal(read.body.presence.source, 'preferred');
      assert.equal(read.body.preferred?.state, 'Busy');
    });

    it('the bot says the status is set and the message is not', async () => {
      await start();
      fault({ path: '/users/{id}/presence/setStatusMessage', fault: { kind: 'status', status: 403 }, count: EVERY });
      const reply = await chat(app.url, connector, 'dnd 2h "deep work"');
      assert.ok(said(reply).startsWith(m.statusSet(m.stateLabel.DoNotDisturb, '').slice(0, -1)), said(reply));
      assert.ok(said(reply).endsWith(m.partial(m.notDone.set.statusMessage)), said(reply));
      assert.equal(sandboxOf(app).emulator.snapshot(SANDBOX_USER_ID).preferredPresence?.availability, 'DoNotDisturb');
    });

    it('a session state whose read-back fails: 200, partial confirm, and the session is set', async () => {
      await start();
      fault({ path: '/me/presence', fault: { kind: 'status', status: 503 }, count: EVERY });
      const result = await call<SetBody>(app.url, 'POST', { token, body: { state: 'InACall', durationMinutes: 30 } });
      assert.equal(result.status, 200);
      assert.deepEqual(
        result.body.set.partial?.map((p) => [p.part, p.code]),
        [['confirm', 'graph_unavailable']],
      );
      const sessions = sandboxOf(app)
        .emulator.snapshot(ALICE)
        .sessions.filter((s) => s.sessionId === app.config.appId);
      assert.deepEqual(
        sessions.map((s) => [s.availability, s.activity]),
        [['Busy', 'InACall']],
      );
    });

    it('a reset where clearing the preferred status fails: 200, partial preferred, the session is cleared', async () => {
      await start();
      assert.equal((await call(app.url, 'POST', { token, body: { state: 'Busy', durationMinutes: 60 } })).status, 200);
      assert.equal((await call(app.url, 'POST', { token, body: { state: 'InACall', durationMinutes: 30 } })).status, 200);
      fault({ path: '/users/{id}/presence/clearUserPreferredPresence', fault: { kind: 'status', status: 503 }, count: EVERY });
      const result = await call<ClearedBody>(app.url, 'DELETE', { token });
      assert.equal(result.status, 200);
      assert.equal(result.body.cleared.sessionExisted, true);
      assert.deepEqual(
        result.body.cleared.partial?.map((p) => [p.part, p.code]),
        [['preferred', 'graph_unavailable']],
      );
      assert.match(result.body.cleared.partial[0]?.correlationId ?? '', UUID);
      const seen = sandboxOf(app).emulator.snapshot(ALICE);
      assert.equal(seen.preferredPresence?.availability, 'Busy', 'the preferred status is still there');
      assert.deepEqual(
        seen.sessions.filter((s) => s.sessionId === app.config.appId),
        [],
        'the session is gone',
      );
      sandboxOf(app).faults.clear();
      const read = await call<ReadBody & { session?: unknown }>(app.url, 'GET', { token });
      assert.equal(read.body.preferred?.state, 'Busy', 'what was not cleared is still recorded');
      assert.equal(read.body.session, undefined);
    });
  });
});
