/** The Graph emulator's JSON batching (`POST /$batch`) over real HTTP on 127.0.0.1, as plain HTTP clients see it. */
import assert from 'node:assert/strict';
import type { GraphEmulatorDeps, GraphIdentity } from '../../sandbox/graph/routes';
import { startEmulator, type StartedEmulator } from './emulator-server';

const APP_ID = '22553876-f5ab-4529-bffb-cfe50aa89f87';
const ALICE = 'aaaaaaaa-0000-4000-8000-000000000001';
const BOB = 'bbbbbbbb-0000-4000-8000-000000000002';
const T0 = Date.parse('2026-01-15T09:00:00.000Z');
const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';
const JSON_HEADERS = { 'Content-Type': 'application/json' };

const TOKENS: Readonly<Record<string, GraphIdentity>> = {
  'token-alice': { userId: ALICE, tenantId: 'tenant-a', scopes: ['Presence.ReadWrite'] },
  'token-readonly': { userId: BOB, tenantId: 'tenant-a', scopes: ['Presence.Read'] },
};

// eslint-disable-next-line @typescript-eslint/require-await -- the contract is async
async function verifyToken(bearer: string): Promise<GraphIdentity | undefined> {
  return TOKENS[bearer];
}

interface SubRequest {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly dependsOn?: string[];
}

interface SubResponse {
  readonly id: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: Record<string, unknown> & { error?: { code: string; message: string; innerError?: Record<string, string> } };
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly json: { responses?: SubResponse[]; error?: { code: string; message: string } };
}

const setPreferred = (id: string, availability = 'DoNotDisturb', activity = availability): SubRequest => ({
  id,
  method: 'POST',
  url: '/me/presence/setUserPreferredPresence',
  headers: JSON_HEADERS,
  body: { availability, activity, expirationDuration: 'PT8H' },
});
const getPresence = (id: string, extra: Partial<SubRequest> = {}): SubRequest => ({ id, method: 'GET', url: '/me/presence', ...extra });

describe('sandbox Graph emulator $batch (HTTP)', () => {
  let srv: StartedEmulator;

  function start(overrides: Partial<GraphEmulatorDeps> = {}): Promise<StartedEmulator> {
    return startEmulator({ appId: APP_ID, now: T0, verifyToken, ...overrides });
  }

  async function batch(requests: unknown, options: { token?: string | null; version?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    const token = options.token === undefined ? 'token-alice' : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const body = JSON.stringify(Array.isArray(requests) ? { requests } : requests);
    const res = await fetch(`${srv.base}/${options.version ?? 'v1.0'}/$batch`, { method: 'POST', headers, body });
    return { status: res.status, headers: res.headers, json: (await res.json()) as Answer['json'] };
  }

  /** The batch's responses by id, after checking the batch itself is a 200 answering each request once, in order. */
  async function responses(requests: SubRequest[], options?: Parameters<typeof batch>[1]): Promise<Record<string, SubResponse>> {
    const res = await batch(requests, options);
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.deepEqual(
      res.json.responses?.map((r) => r.id),
      requests.map((r) => r.id),
    );
    return Object.fromEntries((res.json.responses ?? []).map((r) => [r.id, r]));
  }

  function assertBatchRefused(res: Answer, message: RegExp | string): void {
    assert.equal(res.status, 400, JSON.stringify(res.json));
    assert.equal(res.json.error?.code, 'BadRequest');
    if (typeof message === 'string') assert.equal(res.json.error.message, message);
    else assert.match(res.json.error.message, message);
  }

  beforeEach(async () => {
    srv = await start();
  });
  afterEach(async () => {
    await srv.close();
  });

  describe('presence requests in a batch', () => {
    it('runs each presence request with relative URLs and answers {id, status, headers, body} as a direct call would', async () => {
      const status = { statusMessage: { message: { content: 'Deep work', contentType: 'text' } } };
      const byId = await responses([
        {
          id: 'session',
          method: 'POST',
          url: '/me/presence/setPresence',
          headers: JSON_HEADERS,
          body: { sessionId: APP_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT1H' },
        },
        { ...setPreferred('preferred'), url: `users/${ALICE}/presence/microsoft.graph.setUserPreferredPresence` },
        { id: 'message', method: 'POST', url: '/me/presence/setStatusMessage', headers: JSON_HEADERS, body: status },
        getPresence('read', { url: '/me/presence?$select=availability,statusMessage', dependsOn: ['session', 'preferred', 'message'] }),
      ]);
      for (const id of ['session', 'preferred', 'message']) assert.deepEqual(byId[id], { id, status: 200, headers: {} });
      const direct = await fetch(`${srv.base}/v1.0/me/presence?$select=availability,statusMessage`, { headers: { authorization: 'Bearer token-alice' } });
      assert.deepEqual(byId.read, { id: 'read', status: 200, headers: JSON_HEADERS, body: (await direct.json()) as unknown });
      assert.equal(byId.read?.body?.availability, 'DoNotDisturb');
      assert.equal(srv.emulator.snapshot(ALICE).sessions.find((s) => s.sessionId === APP_ID)?.availability, 'Busy');
    });

    it('the clear actions too, and /beta/$batch answers with the beta context', async () => {
      srv.emulator.setPresence(ALICE, { sessionId: APP_ID, availability: 'Busy', activity: 'InACall' });
      srv.emulator.setUserPreferredPresence(ALICE, { availability: 'Away', activity: 'Away' });
      const byId = await responses(
        [
          { id: '1', method: 'POST', url: '/me/presence/clearPresence', headers: JSON_HEADERS, body: { sessionId: APP_ID } },
          { id: '2', method: 'POST', url: '/me/presence/clearUserPreferredPresence', headers: JSON_HEADERS, body: {}, dependsOn: ['1'] },
          getPresence('3', { dependsOn: ['2'] }),
        ],
        { version: 'beta' },
      );
      assert.deepEqual([byId['1']?.status, byId['2']?.status, byId['3']?.status], [200, 200, 200]);
      assert.equal(byId['3']?.body?.['@odata.context'], `https://graph.microsoft.com/beta/$metadata#users('${ALICE}')/presence/$entity`);
      assert.equal(byId['3']?.body?.availability, 'Available');
      assert.equal(srv.emulator.snapshot(ALICE).preferredPresence, null);
    });

    it('a url may name its version, as the Graph SDKs send one (an absolute URL without its host), or be absolute', async () => {
      const byId = await responses([
        getPresence('v1', { url: '/v1.0/me/presence' }),
        getPresence('beta', { url: '/beta/me/presence' }),
        getPresence('emulator', { url: '/sandbox/graph/beta/me/presence' }),
        getPresence('absolute', { url: 'https://graph.microsoft.com/beta/me/presence' }),
      ]);
      const contexts = Object.values(byId).map((r) => String(r.body?.['@odata.context']).split('/$metadata')[0]);
      assert.deepEqual(contexts, ['https://graph.microsoft.com/v1.0', ...Array<string>(3).fill('https://graph.microsoft.com/beta')]);
    });

    it('dependsOn runs a request after those it names, whatever their place in the batch', async () => {
      const byId = await responses([getPresence('read', { dependsOn: ['set'] }), setPreferred('set', 'BeRightBack')]);
      assert.equal(byId.read?.body?.availability, 'BeRightBack');
      assert.deepEqual(
        srv.handle.requests().map((r) => [r.batchRequestId, r.method, r.path, r.status]),
        [
          ['set', 'POST', '/v1.0/me/presence/setUserPreferredPresence', 200],
          ['read', 'GET', '/v1.0/me/presence', 200],
        ],
      );
    });

    it('a request whose dependency failed answers 424 without running, and so do those that depend on it', async () => {
      const byId = await responses([
        { id: 'bad', method: 'POST', url: '/me/presence/clearPresence', headers: JSON_HEADERS, body: { sessionId: APP_ID } },
        { ...setPreferred('after-bad'), dependsOn: ['BAD'] },
        getPresence('after-after', { dependsOn: ['after-bad'] }),
        setPreferred('independent', 'Busy'),
      ]);
      assert.equal(byId.bad?.status, 404);
      assert.equal(byId.bad?.body?.error?.code, 'NotFound');
      for (const [id, dep] of [
        ['after-bad', 'BAD'],
        ['after-after', 'after-bad'],
      ] as const) {
        const res = byId[id];
        assert.equal(res?.status, 424, id);
        assert.equal(res?.body?.error?.code, 'FailedDependency');
        assert.equal(res?.body?.error?.message, `Request '${id}' depends on request '${dep}', which failed.`);
        assert.equal(res?.headers['Content-Type'], 'application/json');
      }
      assert.equal(byId.independent?.status, 200);
      assert.equal(srv.emulator.snapshot(ALICE).preferredPresence?.availability, 'Busy');
      assert.deepEqual(
        srv.handle.requests().map((r) => r.batchRequestId),
        ['bad', 'independent'],
      );
    });
  });

  describe('a batch Graph refuses whole is a 400', () => {
    it('up to 20 requests run; 21 are refused and none runs', async () => {
      const twenty = Array.from({ length: 20 }, (_, i) => getPresence(String(i)));
      assert.equal(Object.keys(await responses(twenty)).length, 20);
      srv.handle.clearRequests();
      assertBatchRefused(await batch([...twenty, setPreferred('20')]), 'A batch can hold at most 20 requests; this one has 21.');
      assert.deepEqual(srv.handle.requests(), []);
      assert.equal(srv.emulator.snapshot(ALICE).preferredPresence, null);
    });

    it('ids must be unique, compared without case', async () => {
      assertBatchRefused(await batch([getPresence('a'), setPreferred('A')]), 'Request Id A has to be unique in a batch.');
      assert.equal(srv.emulator.snapshot(ALICE).preferredPresence, null);
    });

    it('each request needs an id, a method and a url', async () => {
      for (const field of ['id', 'method', 'url'] as const) {
        const request: Record<string, unknown> = { ...getPresence('1') };
        delete request[field];
        assertBatchRefused(await batch([request]), `Property '${field}' is required.`);
      }
      assertBatchRefused(await batch([{ ...getPresence('1'), id: 1 }]), "Property 'id' must be a string.");
      assertBatchRefused(await batch([{ ...getPresence('1'), atomicityGroup: 'g' }]), /'atomicityGroup'/);
    });

    it('a body without a requests array, or with none in it, is an invalid batch', async () => {
      for (const body of [{}, { requests: [] }, { requests: {} }, { requests: 'all' }, { value: [getPresence('1')] }]) {
        assertBatchRefused(await batch(body), 'Invalid batch payload format.');
      }
    });

    it('dependsOn must name requests in the batch, without a cycle', async () => {
      assertBatchRefused(
        await batch([getPresence('1'), getPresence('2', { dependsOn: ['3'] })]),
        "Request '2' depends on '3', which is not a request in this batch.",
      );
      assertBatchRefused(await batch([getPresence('1', { dependsOn: ['2'] }), getPresence('2', { dependsOn: ['1'] })]), /cycle/);
      assertBatchRefused(await batch([getPresence('1', { dependsOn: ['1'] })]), /cycle/);
      assert.deepEqual(srv.handle.requests(), []);
    });

    it('the refusal is Graph-shaped with the trace; GET /$batch is a 405', async () => {
      const res = await batch([getPresence('1'), getPresence('1')], { headers: { 'client-request-id': 'batch-1' } });
      assert.equal(res.headers.get('client-request-id'), 'batch-1');
      assert.deepEqual((res.json.error as { innerError?: unknown } | undefined)?.innerError, {
        date: '2026-01-15T09:00:00',
        'request-id': res.headers.get('request-id'),
        'client-request-id': 'batch-1',
      });
      const get = await fetch(`${srv.base}/v1.0/$batch`, { headers: { authorization: 'Bearer token-alice' } });
      assert.equal(get.status, 405);
      assert.equal(((await get.json()) as Answer['json']).error?.code, 'MethodNotAllowed');
    });
  });

  describe('each request is checked as a direct call is', () => {
    it("without the batch's token each request is a 401 with Graph's challenge, and nothing changes", async () => {
      const byId = await responses([getPresence('1'), setPreferred('2')], { token: null });
      for (const res of Object.values(byId)) {
        assert.equal(res.status, 401);
        assert.equal(res.body?.error?.code, 'InvalidAuthenticationToken');
        assert.equal(res.headers['WWW-Authenticate'], WWW_AUTHENTICATE);
      }
      assert.equal(srv.emulator.snapshot(ALICE).preferredPresence, null);
      const forged = await responses([getPresence('1')], { token: 'token-forged' });
      assert.equal(forged['1']?.status, 401);
    });

    it("a token's scopes and user bound each request: Presence.Read reads but cannot write, nor act for another user", async () => {
      const byId = await responses([getPresence('read'), setPreferred('write'), getPresence('other', { url: `/users/${ALICE}/presence` })], {
        token: 'token-readonly',
      });
      assert.equal(byId.read?.status, 200);
      assert.equal(byId.read?.body?.id, BOB);
      assert.deepEqual([byId.write?.status, byId.write?.body?.error?.code], [403, 'Forbidden']);
      assert.deepEqual([byId.other?.status, byId.other?.body?.error?.code], [403, 'Forbidden']);
    });

    it("a path the emulator does not serve gets Graph's error inside the batch, with the batch's trace", async () => {
      const res = await batch(
        [
          getPresence('messages', { url: '/me/messages' }),
          getPresence('typo', { url: '/me/presense' }),
          getPresence('action', { url: '/me/presence/setPresence' }),
          getPresence('me', { url: '/me' }),
          { id: 'nested', method: 'POST', url: '/$batch', headers: JSON_HEADERS, body: { requests: [] } },
        ],
        { headers: { 'client-request-id': 'batch-2' } },
      );
      assert.equal(res.status, 200);
      const byId = Object.fromEntries((res.json.responses ?? []).map((r) => [r.id, r]));
      assert.deepEqual(byId.messages?.body?.error, {
        code: 'BadRequest',
        message: "Resource not found for the segment 'messages'.",
        innerError: { date: '2026-01-15T09:00:00', 'request-id': res.headers.get('request-id'), 'client-request-id': 'batch-2' },
      });
      assert.equal(byId.messages?.status, 400);
      assert.equal(byId.typo?.body?.error?.message, "Resource not found for the segment 'presense'.");
      assert.deepEqual([byId.action?.status, byId.action?.body?.error?.code], [405, 'MethodNotAllowed']);
      assert.deepEqual([byId.me?.status, byId.me?.body?.error?.code], [404, 'NotFound']);
      assert.deepEqual([byId.nested?.status, byId.nested?.body?.error?.code], [400, 'BadRequest']);
      assert.deepEqual(srv.handle.requests(), [], 'a path no route serves is not logged');
    });

    it('an invalid request body is the same 400 as on a direct call', async () => {
      const byId = await responses([{ ...setPreferred('1'), body: { availability: 'Sleeping', activity: 'Sleeping' } }]);
      const direct = await fetch(`${srv.base}/v1.0/me/presence/setUserPreferredPresence`, {
        method: 'POST',
        headers: { authorization: 'Bearer token-alice', 'content-type': 'application/json' },
        body: JSON.stringify({ availability: 'Sleeping', activity: 'Sleeping' }),
      });
      const { error } = (await direct.json()) as { error: { code: string; message: string } };
      assert.deepEqual([byId['1']?.status, byId['1']?.body?.error?.code, byId['1']?.body?.error?.message], [direct.status, error.code, error.message]);
    });

    it('a body needs a JSON Content-Type (header names in any case)', async () => {
      const byId = await responses([
        { ...setPreferred('none'), headers: undefined },
        { ...setPreferred('text'), headers: { 'Content-Type': 'text/plain' } },
        { ...setPreferred('lower', 'Busy'), headers: { 'content-type': 'application/json; charset=utf-8' } },
      ]);
      assert.deepEqual([byId.none?.status, byId.none?.body?.error?.code], [400, 'BadRequest']);
      assert.deepEqual([byId.text?.status, byId.text?.body?.error?.code], [415, 'UnsupportedMediaType']);
      assert.equal(byId.lower?.status, 200);
      assert.equal(srv.emulator.snapshot(ALICE).preferredPresence?.availability, 'Busy');
    });
  });

  describe('throttling, faults and the request log', () => {
    it('each request counts against the throttle as a direct one would; one over the limit is a 429 inside a 200 batch', async () => {
      await srv.close();
      srv = await start({ throttle: { limit: 2, windowMs: 30_000 } });
      const byId = await responses([getPresence('1'), getPresence('2'), setPreferred('3')]);
      assert.deepEqual(
        Object.values(byId).map((r) => r.status),
        [200, 200, 429],
      );
      assert.equal(byId['3']?.body?.error?.code, 'TooManyRequests');
      assert.equal(byId['3']?.headers['Retry-After'], '30');
      assert.equal(srv.emulator.snapshot(ALICE).preferredPresence, null);
    });

    it('a fault rule matches a request in a batch as it would a direct one, and the log names both', async () => {
      srv.handle.faults.add({ path: '/me/presence/setUserPreferredPresence', fault: { kind: 'status', status: 503, retryAfterSeconds: 7 } });
      const byId = await responses([getPresence('read'), { ...setPreferred('write'), url: '/me/presence/microsoft.graph.setUserPreferredPresence' }]);
      assert.equal(byId.read?.status, 200);
      assert.deepEqual([byId.write?.status, byId.write?.body?.error?.code, byId.write?.headers['Retry-After']], [503, 'ServiceUnavailable', '7']);
      assert.deepEqual(
        srv.handle.requests().map(({ batchRequestId, status, fault, path, userId }) => ({ batchRequestId, status, fault, path, userId })),
        [
          { batchRequestId: 'read', status: 200, fault: undefined, path: '/v1.0/me/presence', userId: ALICE },
          { batchRequestId: 'write', status: 503, fault: 'fault-1', path: '/v1.0/me/presence/microsoft.graph.setUserPreferredPresence', userId: null },
        ],
      );
    });

    it('a reset fault on a request in a batch resets the batch connection; the requests after it do not run', async () => {
      srv.handle.faults.add({ path: '/me/presence', method: 'GET', fault: { kind: 'reset' } });
      await assert.rejects(batch([setPreferred('1', 'Away'), getPresence('2', { dependsOn: ['1'] }), setPreferred('3', 'Busy', 'Busy')]));
      assert.deepEqual(
        srv.handle.requests().map((r) => [r.batchRequestId, r.status]),
        [
          ['1', 200],
          ['2', 0],
        ],
      );
      assert.equal(srv.emulator.snapshot(ALICE).preferredPresence?.availability, 'Away');
    });
  });
});
