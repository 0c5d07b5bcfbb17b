/** One deadline per command: Graph attempts, retry waits and the token exchange are cut off when it passes. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import sinon from 'sinon';
import { Deadline, DeadlineExceeded } from '../../presence/deadline';
import { PresenceError } from '../../presence/errors';
import { GraphPresenceClient } from '../../presence/graph';
import { createHttp, type HttpRequest, type HttpResponse, type HttpSend } from '../../presence/http';
import { PresenceLedger } from '../../presence/ledger';
import { silentLogger } from '../../presence/log';
import { MemoryRecordStore } from '../../presence/memory-store';
import type { PresenceRequest } from '../../presence/request';
import { PresenceService, type PresenceOutcome } from '../../presence/service';
import { GraphTokenBroker, type BrokerOptions } from '../../presence/tokens/broker';
import { OnBehalfOfExchanger, type TokenExchanger } from '../../presence/tokens/obo';
import { CLIENT_ID, TENANT_A } from './helpers';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');
const SSO = { kind: 'sso', ssoToken: `sso:${TENANT_A}:alice-oid` } as const;

const validator: BrokerOptions['validator'] = {
  validate: (token) => {
    const [, tenantId = '', userId = ''] = token.split(':');
    return Promise.resolve({ identity: { tenantId, userId }, expiresAt: new Date(T0 + 3_600_000) });
  },
};
const instantExchanger: TokenExchanger = { exchange: () => Promise.resolve({ accessToken: 'graph-token', expiresAt: T0 + 3_600_000 }) };

const answer = (status: number, headers: Record<string, string> = {}, body = ''): HttpResponse => ({ status, text: body, header: (name) => headers[name] });

/** An HttpSend that records each request and answers from `reply`; `hang` never answers, and fails as undici does once aborted. */
function fakeHttp(reply: (req: HttpRequest, n: number) => Promise<HttpResponse>): HttpSend & { readonly requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return Object.assign(
    (req: HttpRequest) => {
      requests.push(req);
      return reply(req, requests.length);
    },
    { requests },
  );
}
function hang(req: HttpRequest): Promise<HttpResponse> {
  return new Promise((_resolve, reject) => req.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
}

/** Whether a promise has settled yet, without awaiting it; its rejection is kept for `outcomeOf`. */
function track<T>(promise: Promise<T>): { settled: () => boolean; result: Promise<T | PresenceError> } {
  let settled = false;
  const result = promise.then(
    (value) => {
      settled = true;
      return value;
    },
    (err: unknown) => {
      settled = true;
      if (err instanceof PresenceError) return err;
      throw err;
    },
  );
  return { settled: () => settled, result };
}

describe('one deadline per command', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.restore());

  function service(options: { http?: HttpSend; exchanger?: TokenExchanger; deadlineMs?: number }): PresenceService {
    const now = () => Date.now();
    const graph = new GraphPresenceClient({
      baseUrl: 'https://graph.test/v1.0',
      http: options.http ?? fakeHttp(() => Promise.resolve(answer(200))),
      logger: silentLogger,
      random: () => 0.5,
    });
    const tokens = new GraphTokenBroker({ validator, exchanger: options.exchanger ?? instantExchanger, cacheSize: 10, now });
    const ledger = new PresenceLedger({ users: new MemoryRecordStore(now), transient: new MemoryRecordStore(now) }, { now });
    return new PresenceService({ graph, tokens, appId: CLIENT_ID, logger: silentLogger, ledger, now, deadlineMs: options.deadlineMs });
  }
  const execute = (s: PresenceService, request: PresenceRequest) => track(s.execute(SSO, request).then(({ outcome }) => outcome));

  describe('Deadline', () => {
    it('run() rejects when the deadline passes, aborts its signal, and once it has passed starts nothing', async () => {
      const deadline = Deadline.after(1_000);
      let signal: AbortSignal | undefined;
      const run = track(
        deadline
          .run((s) => {
            signal = s;
            return new Promise<never>(() => undefined);
          })
          .catch((err: unknown) => err),
      );
      await clock.tickAsync(999);
      assert.equal(deadline.remainingMs(), 1);
      assert.equal(run.settled(), false);
      assert.equal(signal?.aborted, false);
      await clock.tickAsync(1);
      assert.ok((await run.result) instanceof DeadlineExceeded);
      assert.equal(signal?.aborted, true);
      const work = sinon.stub().resolves('late');
      await assert.rejects(deadline.run(work), DeadlineExceeded);
      sinon.assert.notCalled(work);
    });

    it('run() settles as its work does before the deadline, and leaves no timer behind', async () => {
      const deadline = Deadline.after(1_000);
      assert.equal(await deadline.run(() => Promise.resolve('done')), 'done');
      await assert.rejects(
        deadline.run(() => Promise.reject(new Error('boom'))),
        /boom/,
      );
      assert.equal(clock.countTimers(), 0);
    });
  });

  describe('Graph over a real loopback server that accepts and never answers', () => {
    let server: http.Server;
    let origin: string;
    const sockets: Socket[] = [];
    const closed: Socket[] = [];
    let received: Promise<void>;

    beforeEach(async () => {
      sockets.length = 0;
      closed.length = 0;
      let arrived: () => void = () => undefined;
      received = new Promise((resolve) => {
        arrived = resolve;
      });
      server = http.createServer((req) => {
        sockets.push(req.socket);
        req.socket.once('close', () => closed.push(req.socket));
        arrived();
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterEach(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('execute rejects with graph_unavailable at the 10 s default, the request is aborted, and no retry starts', async () => {
      const now = () => Date.now();
      const graph = new GraphPresenceClient({ baseUrl: `${origin}/v1.0`, http: createHttp(), logger: silentLogger });
      const tokens = new GraphTokenBroker({ validator, exchanger: instantExchanger, cacheSize: 10, now });
      const ledger = new PresenceLedger({ users: new MemoryRecordStore(now), transient: new MemoryRecordStore(now) }, { now });
      const s = new PresenceService({ graph, tokens, appId: CLIENT_ID, logger: silentLogger, ledger, now });
      const run = execute(s, { kind: 'read' });
      await received;
      await clock.tickAsync(9_999 - (Date.now() - T0));
      assert.equal(run.settled(), false, 'still waiting just before the deadline');
      await clock.tickAsync(1);
      const err = await run.result;
      assert.ok(err instanceof PresenceError);
      assert.equal(err.code, 'graph_unavailable');
      assert.equal(err.detail, 'GET /me/presence: deadline');
      assert.equal(Date.now() - T0, 10_000);
      for (let turn = 0; turn < 100 && closed.length === 0; turn++) await tick();
      assert.equal(closed.length, 1, 'the server saw the socket close');
      await clock.tickAsync(30_000);
      assert.equal(sockets.length, 1, 'one request, no retry after the deadline');
    });
  });

  it('a retry wait that would end past the deadline is not started: the last 429 is reported at once', async () => {
    const graphHttp = fakeHttp(() => Promise.resolve(answer(429, { 'retry-after': '4' })));
    const run = execute(service({ http: graphHttp, deadlineMs: 5_000 }), { kind: 'read' });
    // Attempt 1 at 0 s; its wait (4 s + 0.5 × 200 ms jitter) ends at 4.1 s, within the 5 s. Attempt 2's would end at 8.2 s.
    await clock.tickAsync(4_100);
    assert.equal(graphHttp.requests.length, 2);
    assert.equal(run.settled(), true, 'no third wait was started');
    const err = await run.result;
    assert.ok(err instanceof PresenceError);
    assert.equal(err.code, 'throttled');
    assert.equal(err.retryAfterSeconds, 4);
    assert.match(err.detail ?? '', /HTTP 429/);
    assert.equal(Date.now() - T0, 4_100, 'reported when attempt 2 answered, not at the deadline');
  });

  it('the deadline cutting an attempt after a 429 is throttled (detail deadline), and that attempt is aborted', async () => {
    const graphHttp = fakeHttp((req, n) => (n === 1 ? Promise.resolve(answer(429, { 'retry-after': '1' })) : hang(req)));
    const run = execute(service({ http: graphHttp, deadlineMs: 3_000 }), { kind: 'read' });
    await clock.tickAsync(2_999);
    assert.equal(graphHttp.requests.length, 2);
    assert.equal(run.settled(), false);
    await clock.tickAsync(1);
    const err = await run.result;
    assert.ok(err instanceof PresenceError);
    assert.equal(err.code, 'throttled');
    assert.equal(err.retryAfterSeconds, 1);
    assert.equal(err.detail, 'GET /me/presence: deadline');
    assert.equal(graphHttp.requests[1]?.signal?.aborted, true);
    await clock.tickAsync(30_000);
    assert.equal(graphHttp.requests.length, 2, 'no attempt after the deadline');
  });

  it('the on-behalf-of exchange is cut off: identity_unavailable, its request aborted, no Graph call', async () => {
    const entra = fakeHttp(hang);
    const exchanger = new OnBehalfOfExchanger({
      authorityHost: 'https://login.test',
      clientId: CLIENT_ID,
      credential: { kind: 'secret', secret: 's' },
      scopes: ['x'],
      http: entra,
    });
    const graphHttp = fakeHttp(() => Promise.resolve(answer(200)));
    const run = execute(service({ http: graphHttp, exchanger }), { kind: 'set', state: 'Busy' });
    await clock.tickAsync(10_000);
    const err = await run.result;
    assert.ok(err instanceof PresenceError);
    assert.equal(err.code, 'identity_unavailable');
    assert.equal(err.detail, 'token endpoint: deadline');
    assert.equal(entra.requests.length, 1);
    assert.equal(entra.requests[0]?.signal?.aborted, true);
    assert.equal(graphHttp.requests.length, 0);
  });

  it('a status message still pending at the deadline is reported as not set; the status that was set stands', async () => {
    const graphHttp = fakeHttp((req) => (req.url.endsWith('/setStatusMessage') ? hang(req) : Promise.resolve(answer(200))));
    const run = execute(service({ http: graphHttp }), { kind: 'set', state: 'Busy', durationMs: 3_600_000, statusMessage: 'Deep work' });
    await clock.tickAsync(10_000);
    const outcome = (await run.result) as PresenceOutcome;
    assert.equal(outcome.kind, 'set');
    assert.ok(outcome.kind === 'set');
    assert.equal(outcome.statusMessage, undefined);
    assert.deepEqual(
      outcome.partial?.map(({ part, code }) => [part, code]),
      [['statusMessage', 'graph_unavailable']],
    );
    assert.deepEqual(graphHttp.requests.map((r) => r.url.split('/').at(-1)).sort(), ['setStatusMessage', 'setUserPreferredPresence']);
  });
});
