import assert from 'node:assert/strict';
import type { RunningApp } from '../../server/app';
import { messages } from '../../tab/api/messages';
import {
  ALICE,
  BOB,
  OTHER_TENANT,
  TENANT,
  badTokens,
  call,
  issuerOf,
  recordingLogger,
  ssoToken,
  startSandboxApp,
  type ApiError,
  type BadTokens,
} from './helpers';

/** The tab API over real HTTP in sandbox mode: who the caller is comes only from a valid Teams SSO token. */
describe('tab API: authentication and who is acted for (real HTTP)', () => {
  let app: RunningApp;
  beforeEach(async () => {
    app = await startSandboxApp();
  });
  afterEach(async () => app.close());

  const seen = (userId: string) => {
    const s = app.sandbox?.emulator.snapshot(userId);
    return (
      s && {
        preferred: s.preferredPresence,
        sessions: s.sessions.map((x) => `${x.kind}:${x.availability}/${x.activity}`),
        message: s.statusMessage,
        shown: `${s.presence.availability}/${s.presence.activity}`,
      }
    );
  };

  const malformed: Record<string, Record<string, string>> = {
    'no Authorization header': {},
    'an empty bearer': { authorization: 'Bearer ' },
    'Basic credentials': { authorization: `Basic ${Buffer.from('alice:pw').toString('base64')}` },
    'a bearer that is not a JWT': { authorization: 'Bearer not-a-token' },
    'the token without the Bearer scheme': { authorization: 'eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJ4In0.c2ln' },
  };
  for (const [what, headers] of Object.entries(malformed)) {
    it(`401 unauthenticated with ${what}, on every method`, async () => {
      for (const method of ['GET', 'POST', 'DELETE']) {
        const res = await call<ApiError>(app.url, method, { headers, body: method === 'POST' ? { state: 'Busy' } : undefined });
        assert.equal(res.status, 401, method);
        assert.equal(res.body.error.code, 'unauthenticated');
        assert.equal(typeof res.body.error.message, 'string');
        assert.equal(res.headers.get('www-authenticate'), 'Bearer');
        assert.equal(res.headers.get('cache-control'), 'no-store');
      }
      assert.equal(app.tokens.stats().ssoValidations, 0, 'refused before the service');
    });
  }

  it('401 for each token that is not a valid SSO token for this app, each for its own reason (token_expired if only expired, else unauthenticated); nothing changes', async () => {
    const logger = recordingLogger();
    await app.close();
    app = await startSandboxApp({}, logger);
    const tokens: BadTokens = await badTokens(app);
    const before = seen(ALICE);
    for (const [what, token, reason] of tokens) {
      for (const [method, body] of [
        ['GET', undefined],
        ['POST', { state: 'DoNotDisturb', durationMinutes: 60 }],
        ['DELETE', undefined],
      ] as const) {
        logger.entries.length = 0;
        const res = await call<ApiError>(app.url, method, { token, body });
        assert.equal(res.status, 401, `${what}: ${method} → ${res.status} ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, reason.source.includes('ERR_JWT_EXPIRED') ? 'token_expired' : 'unauthenticated', what);
        assert.equal(res.headers.get('www-authenticate'), 'Bearer', what);
        assert.ok(!JSON.stringify(res.body).includes(token), 'the token is not echoed');
        const logged = logger.entries.find((e) => e.message === 'tab api request refused');
        assert.match(String(logged?.fields?.detail), reason, what);
        assert.ok(!JSON.stringify(logger.entries).includes(token), 'the token is not logged');
      }
    }
    assert.deepEqual(seen(ALICE), before);
    assert.equal(issuerStats(app).oboExchanges, 1, 'only the exchange that minted the replayed Graph token');
  });

  it('401 token_expired for an expired SSO token, on every method; the cached Graph token is kept and nothing changes', async () => {
    const expired = (await badTokens(app)).find(([, , reason]) => reason.source.includes('ERR_JWT_EXPIRED'))?.[1] ?? assert.fail('no expired token');
    assert.equal((await call(app.url, 'GET', { token: await ssoToken(app) })).status, 200);
    const cached = app.tokens.cached({ userId: ALICE, tenantId: TENANT });
    assert.ok(cached, 'the valid call cached a Graph token');
    const before = seen(ALICE);
    for (const [method, body] of [
      ['GET', undefined],
      ['POST', { state: 'Busy', durationMinutes: 30 }],
      ['DELETE', undefined],
    ] as const) {
      const res = await call<ApiError>(app.url, method, { token: expired, body });
      assert.equal(res.status, 401, method);
      assert.equal(res.body.error.code, 'token_expired', method);
      assert.equal(res.body.error.message, messages.errors.token_expired({}));
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      assert.equal(res.headers.get('cache-control'), 'no-store');
    }
    // The SSO token is the caller's to renew; the Graph token cached for Alice is still good.
    assert.equal(app.tokens.cached({ userId: ALICE, tenantId: TENANT }), cached);
    assert.deepEqual(seen(ALICE), before);
  });

  it('a token expired by less than the clock tolerance (60 s) is still served, with the Graph token cached for the user', async () => {
    // The sandbox's on-behalf-of exchange takes no expired assertion: only a Graph token already cached serves this one.
    assert.equal((await call(app.url, 'GET', { token: await ssoToken(app) })).status, 200);
    const recent = await issuerOf(app)['sign']({ userId: ALICE, tenantId: TENANT, name: 'Alice' }, app.config.appId, 'access_as_user', {}, -30);
    const res = await call(app.url, 'GET', { token: recent });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

  it('a 10 KB junk bearer is 401 unauthenticated, refused before the validator; one shaped like a JWT reaches it and is 401 too', async () => {
    const junk = await call<ApiError>(app.url, 'GET', { headers: { authorization: `Bearer ${'a'.repeat(10_000)}` } });
    assert.equal(junk.status, 401);
    assert.equal(junk.body.error.code, 'unauthenticated');
    assert.equal(app.tokens.stats().ssoValidations, 0);
    const shaped = await call<ApiError>(app.url, 'GET', { token: `${'a'.repeat(5000)}.${'b'.repeat(5000)}.c` });
    assert.equal(shaped.status, 401);
    assert.equal(shaped.body.error.code, 'unauthenticated');
    assert.equal(app.tokens.stats().ssoValidations, 1);
  });

  it('an Authorization header over 16 KB gets 431 from Node before any handler runs, and the server goes on answering', async () => {
    const res = await fetch(`${app.url}/api/presence`, { headers: { authorization: `Bearer ${'a'.repeat(10_000)}.${'b'.repeat(10_000)}.c` } });
    assert.equal(res.status, 431);
    assert.equal(app.tokens.stats().ssoValidations, 0);
    assert.equal((await call(app.url, 'GET', { token: await ssoToken(app) })).status, 200);
  });

  it('a valid token works (the control for the refusals above)', async () => {
    const res = await call(app.url, 'GET', { token: await ssoToken(app) });
    assert.equal(res.status, 200);
  });

  it("a token for user A never changes user B's presence", async () => {
    const alice = await ssoToken(app, ALICE);
    const bob = await ssoToken(app, BOB);
    await call(app.url, 'POST', { token: bob, body: { state: 'Busy', durationMinutes: 30 } });
    const bobBefore = seen(BOB);

    const set = await call(app.url, 'POST', { token: alice, body: { state: 'DoNotDisturb', durationMinutes: 60 } });
    assert.equal(set.status, 200);
    const cleared = await call(app.url, 'DELETE', { token: alice });
    assert.equal(cleared.status, 200);
    await call(app.url, 'POST', { token: alice, body: { state: 'AppearOffline', durationMinutes: 60 } });

    assert.deepEqual(seen(BOB), bobBefore);
    assert.equal(seen(ALICE)?.shown, 'Offline/OffWork');
    const bobView = await call<{ presence: { availability: string } }>(app.url, 'GET', { token: bob });
    assert.equal(bobView.body.presence.availability, 'Busy');
  });

  it('a body naming another user is refused as an unknown field, and changes no one', async () => {
    const alice = await ssoToken(app, ALICE);
    const before = { alice: seen(ALICE), bob: seen(BOB) };
    for (const name of ['userId', 'aadObjectId', 'oid', 'tenantId']) {
      const res = await call<ApiError>(app.url, 'POST', { token: alice, body: { state: 'DoNotDisturb', durationMinutes: 60, [name]: BOB } });
      assert.equal(res.status, 400, name);
      assert.equal(res.body.error.code, 'invalid_request');
      assert.equal(res.body.error.field, name);
    }
    assert.deepEqual({ alice: seen(ALICE), bob: seen(BOB) }, before);
  });

  it('a query string naming another user is refused, on every method', async () => {
    const alice = await ssoToken(app, ALICE);
    for (const method of ['GET', 'POST', 'DELETE']) {
      const res = await call<ApiError>(app.url, method, {
        token: alice,
        path: `/api/presence?userId=${BOB}`,
        body: method === 'POST' ? { state: 'Busy' } : undefined,
      });
      assert.equal(res.status, 400, method);
      assert.equal(res.body.error.field, 'userId');
    }
    assert.equal(seen(BOB)?.preferred, null);
  });
});

describe('tab API: tenant allow-list (real HTTP)', () => {
  let app: RunningApp;
  before(async () => {
    app = await startSandboxApp({ ALLOWED_TENANTS: TENANT });
  });
  after(async () => app.close());

  it('403 tenant_not_allowed for a valid token from a tenant not on the list', async () => {
    const res = await call<ApiError>(app.url, 'POST', { token: await ssoToken(app, ALICE, OTHER_TENANT), body: { state: 'Busy', durationMinutes: 30 } });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'tenant_not_allowed');
    assert.equal(app.sandbox?.emulator.snapshot(ALICE).preferredPresence, null);
  });

  it('a tenant on the list is served', async () => {
    const res = await call(app.url, 'GET', { token: await ssoToken(app, ALICE, TENANT) });
    assert.equal(res.status, 200);
  });
});

function issuerStats(app: RunningApp): { ssoTokensIssued: number; oboExchanges: number } {
  if (!app.sandbox) throw new Error('not a sandbox app');
  return app.sandbox.issuer.stats;
}
