/** Fault injection in the sandbox Graph emulator, over real HTTP on 127.0.0.1. */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as sinon from 'sinon';
import { FaultPlan, seededRandom, type FaultRule } from '../../sandbox/graph/faults';
import type { GraphEmulatorDeps, GraphIdentity, RecordedRequest } from '../../sandbox/graph/routes';
import { startEmulator, type StartedEmulator } from './emulator-server';

const APP_ID = '22553876-f5ab-4529-bffb-cfe50aa89f87';
const ALICE = 'aaaaaaaa-0000-4000-8000-000000000001';
const T0 = Date.parse('2026-01-15T09:00:00.000Z');
const IDENTITY: GraphIdentity = { userId: ALICE, tenantId: 'tenant-a', scopes: ['Presence.ReadWrite'] };
const STATUS_BODY = { statusMessage: { message: { content: 'Focus', contentType: 'text' } } };

// eslint-disable-next-line @typescript-eslint/require-await -- the contract is async
async function verifyToken(bearer: string): Promise<GraphIdentity | undefined> {
  return bearer === 'token-alice' ? IDENTITY : undefined;
}

type Started = StartedEmulator;

function start(overrides: Partial<GraphEmulatorDeps> = {}): Promise<Started> {
  return startEmulator({ appId: APP_ID, now: T0, verifyToken, ...overrides });
}

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  readonly json: unknown;
}

interface CallOptions {
  readonly token?: string | null;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

/** node:http rather than fetch, so a reset surfaces as the socket error it is; a fresh connection per call. */
function call(base: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const token = options.token === undefined ? 'token-alice' : options.token;
  const headers: http.OutgoingHttpHeaders = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers, agent: false, signal: options.signal }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: text ? (JSON.parse(text) as unknown) : undefined }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function graphError(answer: Answer): { code: string; message: string } {
  return (answer.json as { error: { code: string; message: string } }).error;
}

describe('sandbox Graph emulator fault injection (HTTP)', () => {
  let srv: Started;
  const graph = (method: string, path: string, options?: CallOptions) => call(srv.base, method, `/v1.0${path}`, options);
  const control = (method: string, path: string, body?: unknown) => call(srv.base, method, path, { token: null, body });
  const addFault = async (rule: unknown): Promise<FaultRule> => {
    const res = await control('POST', '/_faults', rule);
    assert.equal(res.status, 201, res.text);
    return res.json as FaultRule;
  };
  const statusMessage = () => srv.emulator.snapshot(ALICE).statusMessage;
  const lastRequest = (): RecordedRequest | undefined => srv.handle.requests().at(-1);

  beforeEach(async () => {
    srv = await start();
  });
  afterEach(async () => {
    sinon.restore();
    await srv.close();
  });

  describe('_faults', () => {
    it('POST adds a rule (201, with an id and defaults), GET lists it, DELETE /:id and DELETE remove', async () => {
      const first = await addFault({ fault: { kind: 'status', status: 503 } });
      assert.deepEqual(first, { id: first.id, path: null, method: null, fault: { kind: 'status', status: 503 }, count: 1, remaining: 1, share: 1 });
      assert.match(first.id, /\S/);
      const second = await addFault({ path: '/me/presence/setPresence', method: 'POST', fault: { kind: 'reset' }, count: 2, share: 0.5 });
      assert.notEqual(second.id, first.id);
      assert.deepEqual((await control('GET', '/_faults')).json, { faults: [first, second] });

      assert.equal((await control('DELETE', `/_faults/${first.id}`)).status, 204);
      assert.deepEqual((await control('GET', '/_faults')).json, { faults: [second] });
      const missing = await control('DELETE', `/_faults/${first.id}`);
      assert.equal(missing.status, 404);
      assert.equal(graphError(missing).code, 'NotFound');

      await addFault({ fault: { kind: 'reset' } });
      assert.equal((await control('DELETE', '/_faults')).status, 204);
      assert.deepEqual((await control('GET', '/_faults')).json, { faults: [] });
      assert.deepEqual(srv.handle.faults.list(), []);
    });

    it('400 with a Graph error naming the bad property, and no rule added', async () => {
      const cases: [unknown, RegExp][] = [
        [[], /JSON object/],
        [{}, /'fault' is required/],
        [{ fault: { kind: 'status', status: 503 }, extra: 1 }, /'extra' does not exist/],
        [{ fault: { kind: 'explode' } }, /'fault\.kind'/],
        [{ fault: { kind: 'status' } }, /'status' is required/],
        [{ fault: { kind: 'status', status: 200 } }, /'fault\.status' must be an integer from 400 to 599/],
        [{ fault: { kind: 'status', status: 503.5 } }, /'fault\.status'/],
        [{ fault: { kind: 'status', status: 429, retryAfterSeconds: -1 } }, /'fault\.retryAfterSeconds'/],
        [{ fault: { kind: 'reset', status: 500 } }, /'status' does not exist on a 'reset' fault/],
        [{ fault: { kind: 'delay' } }, /'ms' is required/],
        [{ fault: { kind: 'delay', ms: 120_001 } }, /'fault\.ms' must be an integer from 0 to 120000/],
        [{ fault: { kind: 'delay', ms: 10, thenStatus: 302 } }, /'fault\.thenStatus'/],
        [{ fault: { kind: 'delay', ms: 10, retryAfterSeconds: 1 } }, /'fault\.retryAfterSeconds' needs 'fault\.thenStatus'/],
        [{ fault: { kind: 'reset' }, count: 0 }, /'count' must be an integer/],
        [{ fault: { kind: 'reset' }, count: 1.5 }, /'count'/],
        [{ fault: { kind: 'reset' }, share: 0 }, /'share'/],
        [{ fault: { kind: 'reset' }, share: 1.1 }, /'share'/],
        [{ fault: { kind: 'reset' }, share: '0.5' }, /'share'/],
        [{ fault: { kind: 'reset' }, method: 'PUT' }, /'method' must be 'GET' or 'POST'/],
        [{ fault: { kind: 'reset' }, method: 'get' }, /'method'/],
        [{ fault: { kind: 'reset' }, path: 42 }, /'path' must be a string/],
        [{ fault: { kind: 'reset' }, path: '/v1.0/me/presence' }, /'path' must be a Graph path after the version/],
        [{ fault: { kind: 'reset' }, path: '/me/calendar' }, /'path'/],
        [{ fault: { kind: 'reset' }, path: '/me/presence/setPresense' }, /'path' names '\/me\/presence\/setPresense'/],
        [{ fault: { kind: 'reset' }, path: '/me/presence', method: 'POST' }, /'method' must be 'GET' for '\/me\/presence'/],
        [{ fault: { kind: 'reset' }, path: '/me/presence/setPresence', method: 'GET' }, /'method' must be 'POST'/],
      ];
      for (const [body, message] of cases) {
        const res = await control('POST', '/_faults', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(graphError(res).code, 'BadRequest');
        assert.match(graphError(res).message, message, JSON.stringify(body));
      }
      assert.deepEqual(srv.handle.faults.list(), []);
    });
  });

  describe('status faults', () => {
    it('answers the status with a Graph error body, once by default, without touching state; the log records it', async () => {
      const rule = await addFault({ path: '/me/presence/setStatusMessage', fault: { kind: 'status', status: 503 } });
      const faulted = await graph('POST', '/me/presence/setStatusMessage', { body: STATUS_BODY });
      assert.equal(faulted.status, 503);
      assert.match(String(faulted.headers['content-type']), /application\/json/);
      assert.equal(graphError(faulted).code, 'ServiceUnavailable');
      assert.equal(faulted.headers['retry-after'], undefined);
      assert.equal(statusMessage(), null);
      assert.deepEqual(lastRequest(), {
        method: 'POST',
        path: '/v1.0/me/presence/setStatusMessage',
        userId: null,
        body: STATUS_BODY,
        status: 503,
        time: new Date(T0).toISOString(),
        fault: rule.id,
      });

      const served = await graph('POST', '/me/presence/setStatusMessage', { body: STATUS_BODY });
      assert.equal(served.status, 200);
      assert.equal(statusMessage()?.content, 'Focus');
      assert.equal(lastRequest()?.fault, undefined);
      assert.deepEqual(srv.handle.faults.list(), []);
    });

    it("uses Graph's codes per status, and sends Retry-After when the rule gives it", async () => {
      const expected: [number, string][] = [
        [429, 'TooManyRequests'],
        [500, 'generalException'],
        [502, 'BadGateway'],
        [503, 'ServiceUnavailable'],
        [504, 'GatewayTimeout'],
        [409, 'Conflict'],
      ];
      for (const [status, code] of expected) {
        await addFault({ fault: { kind: 'status', status, retryAfterSeconds: 7 } });
        const res = await graph('GET', '/me/presence');
        assert.equal(res.status, status);
        assert.equal(graphError(res).code, code);
        assert.equal(res.headers['retry-after'], '7');
      }
    });

    it('count faults the next N matching requests; GET _faults shows what remains', async () => {
      const rule = await addFault({ fault: { kind: 'status', status: 500 }, count: 3 });
      const statuses: number[] = [];
      const remaining: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        statuses.push((await graph('GET', '/me/presence')).status);
        const { faults } = (await control('GET', '/_faults')).json as { faults: FaultRule[] };
        remaining.push(faults.find((f) => f.id === rule.id)?.remaining ?? 0);
      }
      assert.deepEqual(statuses, [500, 500, 500, 200]);
      assert.deepEqual(remaining, [2, 1, 0, 0]);
    });

    it('share faults a matching request with that probability, using the injected random; a miss uses up no count', async () => {
      await srv.close();
      const draws = [0.9, 0.1, 0.7, 0.2, 0.05];
      const random = sinon.spy(() => draws.shift() ?? 0);
      srv = await start({ faultRandom: random });
      await addFault({ fault: { kind: 'status', status: 503 }, count: 2, share: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await graph('GET', '/me/presence')).status);
      assert.deepEqual(statuses, [200, 503, 200, 503, 200]);
      assert.equal(random.callCount, 4, 'the rule is gone after its second fault');
    });

    it('a seeded random gives the same mix of faulted and served requests every run', async () => {
      const run = async (): Promise<number[]> => {
        await srv.close();
        srv = await start({ faultRandom: seededRandom(7) });
        await addFault({ fault: { kind: 'status', status: 503 }, count: 100, share: 0.5 });
        const statuses: number[] = [];
        for (let i = 0; i < 12; i += 1) statuses.push((await graph('GET', '/me/presence')).status);
        return statuses;
      };
      const first = await run();
      assert.deepEqual(await run(), first);
      assert.ok(first.includes(200) && first.includes(503), first.join());
    });
  });

  describe('matching', () => {
    /** Which of these requests a rule faults (the rule has a large count; 503 means faulted). */
    async function faultedBy(rule: Record<string, unknown>): Promise<string[]> {
      srv.handle.faults.clear();
      srv.handle.faults.add({ ...rule, fault: { kind: 'status', status: 503 }, count: 100 });
      const requests: [string, string][] = [
        ['GET', '/v1.0/me/presence'],
        ['GET', `/beta/users/${ALICE}/presence`],
        ['POST', '/v1.0/me/presence/setStatusMessage'],
        ['POST', `/beta/users/${ALICE}/presence/setStatusMessage`],
        ['POST', '/v1.0/me/presence/setPresence'],
      ];
      const faulted: string[] = [];
      for (const [method, path] of requests) {
        const res = await call(srv.base, method, path, { body: method === 'POST' ? STATUS_BODY : undefined });
        if (res.status === 503) faulted.push(`${method} ${path}`);
      }
      return faulted;
    }

    it('a path matches /me and /users/{id} alike, in v1.0 and beta; a literal user ID only that user; method narrows', async () => {
      const statusMessageBoth = ['POST /v1.0/me/presence/setStatusMessage', `POST /beta/users/${ALICE}/presence/setStatusMessage`];
      const getBoth = ['GET /v1.0/me/presence', `GET /beta/users/${ALICE}/presence`];
      assert.deepEqual(await faultedBy({ path: '/users/{id}/presence/setStatusMessage' }), statusMessageBoth);
      assert.deepEqual(await faultedBy({ path: '/me/presence/setstatusmessage/' }), statusMessageBoth);
      assert.deepEqual(await faultedBy({ path: '/users/:id/presence/setStatusMessage' }), statusMessageBoth);
      assert.deepEqual(await faultedBy({ path: '/me/presence' }), getBoth);
      assert.deepEqual(await faultedBy({ path: `/users/${ALICE.toUpperCase()}/presence` }), [`GET /beta/users/${ALICE}/presence`]);
      assert.deepEqual(await faultedBy({ method: 'GET' }), getBoth);
      assert.equal((await faultedBy({ method: 'POST' })).length, 3);
      assert.equal((await faultedBy({})).length, 5);
    });

    it('inspection routes are never faulted', async () => {
      const rule = await addFault({ fault: { kind: 'status', status: 503 } });
      assert.equal((await control('GET', `/_state/users/${ALICE}`)).status, 200);
      assert.equal((await control('GET', '/_requests')).status, 200);
      assert.deepEqual(
        srv.handle.faults.list().map((f) => [f.id, f.remaining]),
        [[rule.id, 1]],
      );
    });

    it('faults apply before the token is checked and before the throttle counts the request', async () => {
      await srv.close();
      srv = await start({ throttle: { limit: 1, windowMs: 30_000 } });
      await addFault({ fault: { kind: 'status', status: 503 } });
      assert.equal((await graph('GET', '/me/presence', { token: null })).status, 503);
      assert.equal((await graph('GET', '/me/presence')).status, 200);
      assert.equal((await graph('GET', '/me/presence')).status, 429);
    });
  });

  describe('reset faults', () => {
    it('reset the connection with no response, change nothing, and are logged with status 0', async () => {
      const rule = await addFault({ path: '/me/presence/setStatusMessage', fault: { kind: 'reset' } });
      await assert.rejects(graph('POST', '/me/presence/setStatusMessage', { body: STATUS_BODY }), (err: NodeJS.ErrnoException) => {
        assert.equal(err.code, 'ECONNRESET');
        return true;
      });
      assert.equal(statusMessage(), null);
      assert.deepEqual(lastRequest(), {
        method: 'POST',
        path: '/v1.0/me/presence/setStatusMessage',
        userId: null,
        body: STATUS_BODY,
        status: 0,
        time: new Date(T0).toISOString(),
        fault: rule.id,
      });
      assert.equal((await graph('POST', '/me/presence/setStatusMessage', { body: STATUS_BODY })).status, 200);
    });
  });

  describe('delay faults (fake timers)', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout'] });
    });

    /** Resolves once the server holds a request (its delay timer is the only fake timer). */
    async function held(): Promise<void> {
      for (let i = 0; i < 1000 && clock.countTimers() === 0; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
      assert.equal(clock.countTimers(), 1, 'the request is held');
    }

    /** A request that records when it settles. */
    function pending(request: Promise<Answer>): { readonly answer: Promise<Answer>; settled(): boolean } {
      let done = false;
      const answer = request.finally(() => {
        done = true;
      });
      return { answer, settled: () => done };
    }

    it('hold the request for ms, then serve it normally', async () => {
      await addFault({ path: '/me/presence/setStatusMessage', fault: { kind: 'delay', ms: 5000 } });
      const req = pending(graph('POST', '/me/presence/setStatusMessage', { body: STATUS_BODY }));
      await held();
      await clock.tickAsync(4999);
      assert.equal(req.settled(), false);
      assert.equal(statusMessage(), null);
      await clock.tickAsync(1);
      assert.equal((await req.answer).status, 200);
      assert.equal(statusMessage()?.content, 'Focus');
      assert.equal(lastRequest()?.status, 200);
      assert.equal(lastRequest()?.userId, ALICE);
    });

    it('with thenStatus, answer that status after the delay, without touching state', async () => {
      const rule = await addFault({ fault: { kind: 'delay', ms: 30_000, thenStatus: 504 } });
      const req = pending(graph('POST', '/me/presence/setStatusMessage', { body: STATUS_BODY }));
      await held();
      await clock.tickAsync(29_999);
      assert.equal(req.settled(), false);
      await clock.tickAsync(1);
      const res = await req.answer;
      assert.equal(res.status, 504);
      assert.equal(graphError(res).code, 'GatewayTimeout');
      assert.equal(statusMessage(), null);
      assert.deepEqual([lastRequest()?.status, lastRequest()?.fault], [504, rule.id]);
    });

    it('stop holding when the client leaves: the timer is cleared and the log says status 0', async () => {
      await addFault({ fault: { kind: 'delay', ms: 60_000 } });
      const abort = new AbortController();
      const req = graph('POST', '/me/presence/setStatusMessage', { body: STATUS_BODY, signal: abort.signal });
      await held();
      abort.abort();
      await assert.rejects(req, { name: 'AbortError' });
      for (let i = 0; i < 1000 && srv.handle.requests().length === 0; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
      assert.equal(clock.countTimers(), 0);
      assert.equal(lastRequest()?.status, 0);
      assert.equal(statusMessage(), null);
    });
  });
});

describe('FaultPlan', () => {
  it('match returns the rule that applies (first added first) and undefined when none does', () => {
    const plan = new FaultPlan();
    const reset = plan.add({ path: '/me/presence', fault: { kind: 'reset' } });
    const status = plan.add({ fault: { kind: 'status', status: 500 } });
    assert.equal(plan.match('GET', `/users/${ALICE}/presence`)?.id, reset.id);
    assert.equal(plan.match('get', '/me/presence')?.id, status.id);
    assert.equal(plan.match('GET', '/me/presence'), undefined);
  });
});
