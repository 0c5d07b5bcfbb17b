/** The Graph presence emulator's restify routes over real HTTP on 127.0.0.1. */
import assert from 'node:assert/strict';
import type { GraphEmulatorDeps, GraphIdentity } from '../../sandbox/graph/routes';
import { startEmulator, type StartedEmulator } from './emulator-server';

const APP_ID = '22553876-f5ab-4529-bffb-cfe50aa89f87';
const ALICE = 'aaaaaaaa-0000-4000-8000-000000000001';
const BOB = 'bbbbbbbb-0000-4000-8000-000000000002';
const T0 = Date.parse('2026-01-15T09:00:00.000Z');

const TOKENS: Readonly<Record<string, GraphIdentity>> = {
  'token-alice': { userId: ALICE, tenantId: 'tenant-a', scopes: ['User.Read', 'Presence.ReadWrite'] },
  'token-readonly': { userId: BOB, tenantId: 'tenant-a', scopes: ['Presence.Read'] },
  'token-noscope': { userId: BOB, tenantId: 'tenant-a', scopes: ['User.Read'] },
};

// eslint-disable-next-line @typescript-eslint/require-await -- the contract is async
async function verifyToken(bearer: string): Promise<GraphIdentity | undefined> {
  return TOKENS[bearer];
}

type Started = StartedEmulator;

function start(overrides: Partial<GraphEmulatorDeps> = {}): Promise<Started> {
  return startEmulator({ appId: APP_ID, now: T0, verifyToken, ...overrides });
}

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
  readonly json: unknown;
}

describe('sandbox Graph emulator routes (HTTP)', () => {
  let srv: Started;

  async function call(method: string, path: string, options: { token?: string | null; body?: unknown; authorization?: string } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? 'token-alice' : options.token;
    if (options.authorization !== undefined) headers.authorization = options.authorization;
    else if (token !== null) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${srv.base}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return { status: res.status, text, headers: res.headers, json: text ? (JSON.parse(text) as unknown) : undefined };
  }
  const post = (path: string, body: unknown, token?: string | null) => call('POST', `/v1.0${path}`, { body, token });
  const presence = async (path = '/me/presence', token?: string) => (await call('GET', `/v1.0${path}`, { token })).json as Record<string, unknown>;

  beforeEach(async () => {
    srv = await start();
  });
  afterEach(async () => {
    await srv.close();
  });

  describe('Graph-shaped presence API', () => {
    it('GET /v1.0/me/presence and /users/{own id}/presence answer 200 with the presence JSON', async () => {
      for (const path of ['/v1.0/me/presence', `/v1.0/users/${ALICE}/presence`, '/beta/me/presence', `/v1.0/users/${ALICE.toUpperCase()}/presence`]) {
        const res = await call('GET', path);
        assert.equal(res.status, 200, path);
        assert.match(res.headers.get('content-type') ?? '', /application\/json/);
        assert.deepEqual(res.json, {
          '@odata.context': `https://graph.microsoft.com/${path.startsWith('/beta') ? 'beta' : 'v1.0'}/$metadata#users('${ALICE}')/presence/$entity`,
          id: ALICE,
          availability: 'Available',
          activity: 'Available',
          statusMessage: null,
          outOfOfficeSettings: { isOutOfOffice: false, message: null },
          sequenceNumber: (res.json as { sequenceNumber: string }).sequenceNumber,
          workLocation: null,
        });
      }
    });

    it('each POST answers 200 with no body, under /me and /users/{id}, v1.0 and beta', async () => {
      const actions: [string, unknown][] = [
        ['setPresence', { sessionId: APP_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT1H' }],
        ['setUserPreferredPresence', { availability: 'DoNotDisturb', activity: 'DoNotDisturb', expirationDuration: 'PT8H' }],
        [
          'setStatusMessage',
          {
            statusMessage: {
              message: { content: 'Focus', contentType: 'text' },
              expiryDateTime: { dateTime: '2026-11-23T17:05:33.0000000', timeZone: 'Pacific Standard Time' },
            },
          },
        ],
        ['clearUserPreferredPresence', {}],
        ['clearPresence', { sessionId: APP_ID }],
      ];
      for (const prefix of ['/v1.0/me', `/v1.0/users/${ALICE}`, '/beta/me', `/beta/users/${ALICE}`]) {
        for (const [action, body] of actions) {
          const res = await call('POST', `${prefix}/presence/${action}`, { body });
          assert.equal(res.status, 200, `${prefix} ${action}: ${res.text}`);
          assert.equal(res.text, '');
        }
      }
    });

    it('a POST changes what GET returns', async () => {
      await post('/me/presence/setPresence', { sessionId: APP_ID, availability: 'DoNotDisturb', activity: 'Presenting' });
      await post('/me/presence/setStatusMessage', { statusMessage: { message: { content: 'Demo', contentType: 'text' } } });
      const got = await presence();
      assert.equal(got.availability, 'DoNotDisturb');
      assert.equal(got.activity, 'Presenting');
      assert.deepEqual(got.statusMessage, {
        message: { content: 'Demo', contentType: 'text' },
        expiryDateTime: null,
        publishedDateTime: new Date(T0).toISOString(),
      });
    });

    it('400 with a Graph error body for an invalid pair, a foreign sessionId, a bad duration or a malformed body', async () => {
      const bad: [string, unknown][] = [
        ['setPresence', { sessionId: APP_ID, availability: 'Busy', activity: 'Busy' }],
        ['setPresence', { sessionId: 'someone-else', availability: 'Busy', activity: 'InACall' }],
        ['setPresence', { sessionId: APP_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT5H' }],
        ['setPresence', { sessionId: APP_ID, availability: 'Busy', activity: 'InACall', extra: 1 }],
        ['setUserPreferredPresence', { availability: 'Busy', activity: 'InACall' }],
        ['setStatusMessage', { statusMessage: { message: { content: 'x', contentType: 'html' } } }],
        ['setPresence', undefined],
      ];
      for (const [action, body] of bad) {
        const res = await post(`/me/presence/${action}`, body);
        assert.equal(res.status, 400, `${action} ${JSON.stringify(body)}`);
        const { error } = res.json as { error: { code: string; message: string } };
        assert.equal(error.code, 'BadRequest');
        assert.equal(typeof error.message, 'string');
      }
    });

    it('clearPresence answers 404 NotFound when the session does not exist; clearUserPreferredPresence 200 when nothing is set', async () => {
      const res = await post('/me/presence/clearPresence', { sessionId: APP_ID });
      assert.equal(res.status, 404);
      assert.equal((res.json as { error: { code: string } }).error.code, 'NotFound');
      assert.equal((await post('/me/presence/clearUserPreferredPresence', {})).status, 200);
    });
  });

  describe('authentication and permissions', () => {
    it('401 InvalidAuthenticationToken without a token, with an unknown token, or with another scheme', async () => {
      for (const options of [{ token: null }, { token: 'token-unknown' }, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer' }]) {
        for (const [method, path] of [
          ['GET', '/v1.0/me/presence'],
          ['POST', '/v1.0/me/presence/clearUserPreferredPresence'],
        ] as const) {
          const res = await call(method, path, { ...options, body: method === 'POST' ? {} : undefined });
          assert.equal(res.status, 401, `${method} ${JSON.stringify(options)}`);
          const { error } = res.json as { error: { code: string; message: string } };
          assert.equal(error.code, 'InvalidAuthenticationToken');
          assert.ok(error.message);
        }
      }
    });

    it('a token that rejects or throws is a 401 too', async () => {
      await srv.close();
      srv = await start({ verifyToken: () => Promise.reject(new Error('jwks down')) });
      assert.equal((await call('GET', '/v1.0/me/presence')).status, 401);
    });

    it('403 Forbidden for a POST without Presence.ReadWrite; GET needs Presence.Read or Presence.ReadWrite', async () => {
      const res = await post('/me/presence/setUserPreferredPresence', { availability: 'Busy', activity: 'Busy' }, 'token-readonly');
      assert.equal(res.status, 403);
      assert.equal((res.json as { error: { code: string } }).error.code, 'Forbidden');
      assert.equal(srv.emulator.snapshot(BOB).preferredPresence, null);
      assert.equal((await call('GET', '/v1.0/me/presence', { token: 'token-readonly' })).status, 200);
      assert.equal((await call('GET', '/v1.0/me/presence', { token: 'token-noscope' })).status, 403);
    });

    it("403 Forbidden for /users/{id} that is not the token's own user (delegated acts only for the signed-in user)", async () => {
      for (const [method, path] of [
        ['GET', `/v1.0/users/${BOB}/presence`],
        ['POST', `/v1.0/users/${BOB}/presence/clearUserPreferredPresence`],
      ] as const) {
        const res = await call(method, path, { body: method === 'POST' ? {} : undefined });
        assert.equal(res.status, 403, `${method} ${path}`);
        assert.equal((res.json as { error: { code: string } }).error.code, 'Forbidden');
      }
    });

    it('429 TooManyRequests with Retry-After over the per-tenant limit', async () => {
      await srv.close();
      srv = await start({ throttle: { limit: 2, windowMs: 30_000 } });
      assert.equal((await call('GET', '/v1.0/me/presence')).status, 200);
      assert.equal((await call('GET', '/v1.0/me/presence')).status, 200);
      const res = await call('GET', '/v1.0/me/presence');
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '30');
      assert.equal((res.json as { error: { code: string } }).error.code, 'TooManyRequests');
      await call('POST', '/_clock', { body: { advance: 'PT30S' } });
      assert.equal((await call('GET', '/v1.0/me/presence')).status, 200);
    });
  });

  describe('inspection endpoints', () => {
    it('GET _state/users/:userId returns the snapshot', async () => {
      await post('/me/presence/setPresence', { sessionId: APP_ID, availability: 'Busy', activity: 'InACall' });
      const res = await call('GET', `/_state/users/${ALICE}`, { token: null });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, JSON.parse(JSON.stringify(srv.emulator.snapshot(ALICE))));
      const snap = res.json as { sessions: { kind: string; expiresAt: string | null }[] };
      assert.deepEqual(
        snap.sessions.map((s) => [s.kind, s.expiresAt]),
        [
          ['teamsClient', null],
          ['application', '2026-01-15T09:05:00.000Z'],
        ],
      );
    });

    it('PUT _state/users/:userId/teamsClient signs the Teams client out and in', async () => {
      const out = await call('PUT', `/_state/users/${ALICE}/teamsClient`, { body: { signedIn: false }, token: null });
      assert.equal(out.status, 200);
      assert.deepEqual((out.json as { sessions: unknown[] }).sessions, []);
      assert.equal((await presence()).availability, 'Offline');
      await call('PUT', `/_state/users/${ALICE}/teamsClient`, { body: { signedIn: true }, token: null });
      assert.equal((await presence()).availability, 'Available');
      assert.equal((await call('PUT', `/_state/users/${ALICE}/teamsClient`, { body: { signedIn: 'yes' }, token: null })).status, 400);
    });

    it('_clock: GET returns now, POST {advance} moves it (and the emulator with it)', async () => {
      assert.deepEqual((await call('GET', '/_clock', { token: null })).json, { now: '2026-01-15T09:00:00.000Z' });
      await call('PUT', `/_state/users/${ALICE}/teamsClient`, { body: { signedIn: false }, token: null });
      await post('/me/presence/setPresence', { sessionId: APP_ID, availability: 'Available', activity: 'Available', expirationDuration: 'PT1H' });
      const moved = await call('POST', '/_clock', { body: { advance: 'PT5M' }, token: null });
      assert.equal(moved.status, 200);
      assert.deepEqual(moved.json, { now: '2026-01-15T09:05:00.000Z' });
      assert.equal((await presence()).activity, 'AvailableInactive');
      await call('POST', '/_clock', { body: { advance: 'PT5M' }, token: null });
      assert.equal((await presence()).availability, 'Away');
      for (const body of [{ advance: '5 minutes' }, { advance: 300 }, {}, undefined]) {
        const res = await call('POST', '/_clock', { body, token: null });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal((res.json as { error: { code: string } }).error.code, 'BadRequest');
      }
    });

    it('_requests records the Graph requests served (never the token); DELETE clears it', async () => {
      await post('/me/presence/setPresence', { sessionId: APP_ID, availability: 'Busy', activity: 'InACall' });
      await call('GET', `/v1.0/users/${ALICE}/presence`);
      await call('GET', '/v1.0/me/presence', { token: null });
      await post('/me/presence/clearPresence', { sessionId: 'nope' });
      const res = await call('GET', '/_requests', { token: null });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, {
        requests: [
          {
            method: 'POST',
            path: '/v1.0/me/presence/setPresence',
            userId: ALICE,
            body: { sessionId: APP_ID, availability: 'Busy', activity: 'InACall' },
            status: 200,
            time: '2026-01-15T09:00:00.000Z',
          },
          { method: 'GET', path: `/v1.0/users/${ALICE}/presence`, userId: ALICE, body: null, status: 200, time: '2026-01-15T09:00:00.000Z' },
          { method: 'GET', path: '/v1.0/me/presence', userId: null, body: null, status: 401, time: '2026-01-15T09:00:00.000Z' },
          {
            method: 'POST',
            path: '/v1.0/me/presence/clearPresence',
            userId: ALICE,
            body: { sessionId: 'nope' },
            status: 404,
            time: '2026-01-15T09:00:00.000Z',
          },
        ],
      });
      assert.doesNotMatch(res.text, /token-alice|Bearer/i);
      assert.equal((await call('DELETE', '/_requests', { token: null })).status, 204);
      assert.deepEqual((await call('GET', '/_requests', { token: null })).json, { requests: [] });
    });

    it('_requests keeps only the most recent requests (ring buffer)', async () => {
      await srv.close();
      srv = await start({ requestLogSize: 2 });
      for (let i = 0; i < 4; i += 1) await post('/me/presence/setStatusMessage', { statusMessage: { message: { content: `m${i}`, contentType: 'text' } } });
      const { requests } = (await call('GET', '/_requests', { token: null })).json as {
        requests: { body: { statusMessage: { message: { content: string } } } }[];
      };
      assert.deepEqual(
        requests.map((r) => r.body.statusMessage.message.content),
        ['m2', 'm3'],
      );
    });

    it('DELETE _state forgets every user', async () => {
      await post('/me/presence/setUserPreferredPresence', { availability: 'Busy', activity: 'Busy' });
      assert.equal((await call('DELETE', '/_state', { token: null })).status, 204);
      assert.equal((await presence()).availability, 'Available');
    });

    it('honours a custom basePath', async () => {
      await srv.close();
      srv = await start({ basePath: '/graph-emulator/' });
      const base = srv.base.replace('/sandbox/graph', '/graph-emulator');
      const res = await fetch(`${base}/v1.0/me/presence`, { headers: { authorization: 'Bearer token-alice' } });
      assert.equal(res.status, 200);
      assert.equal((await fetch(`${srv.base}/v1.0/me/presence`, { headers: { authorization: 'Bearer token-alice' } })).status, 404);
    });
  });
});
