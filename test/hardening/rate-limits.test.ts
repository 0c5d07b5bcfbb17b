/**
 * Fair use over real HTTP: a user's command rate (tab and bot together), a client address's failed sign-ins, and a
 * tenant's Graph budget. The clock is sinon's fake Date, installed before the app starts (its limiters keep the
 * `Date.now` they were built with), and it stands still unless a test moves it: a burst is one instant.
 */
import assert from 'node:assert/strict';
import { SignJWT, generateKeyPair } from 'jose';
import sinon from 'sinon';
import { messagesFor } from '../../bot/messages';
import { PresenceError } from '../../presence/errors';
import { DEFAULT_LIMITS } from '../../presence/service';
import { DEFAULT_AUTH_FAILURES } from '../../edge/auth-guard';
import type { RunningApp, StartOptions } from '../../server/app';
import type { Env } from '../../server/config';
import { chat, said, startConnector, type RecordingConnector } from '../support/connector';
import { ALICE, BOB, TENANT, badTokens, call, ssoToken, type ApiError } from '../tab-api/helpers';
import { PRODUCTION_ENV, clearGraphRequests, graphLog, requestFrom, sandboxOf, startAppWith } from './helpers';

const { burst, perSecond } = DEFAULT_LIMITS.user;
/** What a user waits once their bucket is empty: one token's refill time. */
const EMPTY_BUCKET_WAIT = Math.ceil(1 / perSecond);

function all<T>(count: number, make: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => make(i)));
}

function statusCounts(replies: readonly { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of replies) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe('hardening: rate limits (real HTTP)', function () {
  this.timeout(60_000);
  let clock: sinon.SinonFakeTimers;
  let app: RunningApp;

  const start = async (options: StartOptions = {}, env: Env = {}) => {
    clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    app = await startAppWith(options, env);
  };
  afterEach(async () => {
    await app.close();
    clock.restore();
  });

  describe('per user', () => {
    let connector: RecordingConnector;
    beforeEach(async () => {
      connector = await startConnector();
    });
    afterEach(async () => connector.close());

    it(`600 tab API requests in a burst: ${burst} served, the rest 429 rate_limited with Retry-After; another user is served; after the wait, so is the first`, async () => {
      await start();
      const alice = await ssoToken(app, ALICE);
      const bob = await ssoToken(app, BOB);
      const replies = await all(600, () => call<ApiError>(app.url, 'GET', { token: alice }));
      assert.deepEqual(statusCounts(replies), { 200: burst, 429: 600 - burst });
      for (const reply of replies.filter((r) => r.status === 429)) {
        assert.equal(reply.body.error.code, 'rate_limited');
        const retryAfter = reply.headers.get('retry-after') ?? '';
        assert.match(retryAfter, /^[1-9]\d*$/, 'a whole number of seconds, at least 1');
        assert.equal(reply.body.error.retryAfterSeconds, Number(retryAfter));
      }
      assert.equal((await call(app.url, 'GET', { token: bob })).status, 200, 'a second user of the same tenant, at the same instant');
      const refused = await call<ApiError>(app.url, 'GET', { token: alice });
      assert.equal(refused.status, 429);
      clock.tick(Number(refused.headers.get('retry-after')) * 1000);
      assert.equal((await call(app.url, 'GET', { token: alice })).status, 200, 'served again once the Retry-After has passed');
    });

    it(`the bot: ${burst} commands answered, then the rate_limited sentence, and no Graph call for the refused ones`, async () => {
      await start();
      const m = messagesFor('en-US');
      for (let i = 0; i < burst; i++) {
        const reply = await chat(app.url, connector, 'status');
        // A user's first command has no cached Graph token yet: it must be charged once, not once per credential tried.
        assert.notEqual(said(reply), m.errors.rate_limited({ retryAfterSeconds: EMPTY_BUCKET_WAIT }), `command ${i + 1} of ${burst} was refused`);
      }
      await clearGraphRequests(app);
      for (let i = 0; i < 5; i++) {
        const reply = await chat(app.url, connector, i % 2 ? 'dnd 1h' : 'status');
        assert.equal(said(reply), m.errors.rate_limited({ retryAfterSeconds: EMPTY_BUCKET_WAIT }));
      }
      assert.deepEqual(await graphLog(app), [], 'a refused command never reaches Graph');
      clock.tick(EMPTY_BUCKET_WAIT * 1000);
      const served = await chat(app.url, connector, 'status');
      assert.notEqual(said(served), m.errors.rate_limited({ retryAfterSeconds: EMPTY_BUCKET_WAIT }));
      assert.equal((await graphLog(app)).length, 1);
    });

    it('the tab and the bot share one budget per user', async () => {
      await start({ limits: { ...DEFAULT_LIMITS, user: { burst: 3, perSecond } } });
      const alice = await ssoToken(app, ALICE);
      // One tab call first, so the bot's sender has a cached Graph token and each command costs one.
      assert.equal((await call(app.url, 'GET', { token: alice })).status, 200);
      await chat(app.url, connector, 'status');
      assert.equal((await call(app.url, 'GET', { token: alice })).status, 200);
      const m = messagesFor('en-US');
      assert.equal(said(await chat(app.url, connector, 'status')), m.errors.rate_limited({ retryAfterSeconds: EMPTY_BUCKET_WAIT }));
      assert.equal((await call(app.url, 'GET', { token: alice })).status, 429);
    });
  });

  describe('failed sign-ins per client address', () => {
    it(`300 forged SSO tokens at once: at most ${DEFAULT_AUTH_FAILURES.burst} are validated, the rest and a valid token are 429 until the wait is over`, async () => {
      await start();
      // The app has not fetched the issuer's keys yet, as after a start: the first validations wait for them.
      const forged = await forgedToken(app);
      const before = app.tokens.stats().ssoValidations;
      const replies = await all(300, () => call<ApiError>(app.url, 'GET', { token: forged }));
      const validated = app.tokens.stats().ssoValidations - before;
      const counts = statusCounts(replies);
      // Sent all at once: the first validations wait for the issuer's keys (as after every start), so a guard charged
      // only after a failure would let all 300 through. Each validation reserves its token first.
      assert.ok(validated <= DEFAULT_AUTH_FAILURES.burst, `${validated} of 300 forged tokens validated (401: ${counts[401] ?? 0}, 429: ${counts[429] ?? 0})`);
      assert.equal((counts[401] ?? 0) + (counts[429] ?? 0), 300);
      for (const reply of replies.filter((r) => r.status === 429)) {
        assert.equal(reply.body.error.code, 'rate_limited');
        assert.match(reply.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      }
      await assertBlockedThenFreed(app, clock, forged);
    });

    it(`forged tokens one after another: ${DEFAULT_AUTH_FAILURES.burst} are refused 401, then 429 before any validation, a valid token too; another address is not blocked`, async () => {
      await start();
      const [, forged] = (await badTokens(app))[0] ?? [];
      assert.ok(forged);
      const before = app.tokens.stats().ssoValidations;
      const statuses: number[] = [];
      for (let i = 0; i < 300; i++) statuses.push((await call(app.url, 'GET', { token: forged })).status);
      assert.deepEqual(statusCounts(statuses.map((status) => ({ status }))), { 401: DEFAULT_AUTH_FAILURES.burst, 429: 300 - DEFAULT_AUTH_FAILURES.burst });
      assert.deepEqual(statuses.slice(0, DEFAULT_AUTH_FAILURES.burst), new Array<number>(DEFAULT_AUTH_FAILURES.burst).fill(401));
      assert.equal(app.tokens.stats().ssoValidations - before, DEFAULT_AUTH_FAILURES.burst, 'no token is validated once the address is blocked');
      // 127.0.0.2 is loopback too, and another client to the server: its forged token is looked at (401), not refused unread.
      const elsewhere = await requestFrom(app.url, { path: '/api/presence', headers: { authorization: `Bearer ${forged}` }, localAddress: '127.0.0.2' });
      assert.equal(elsewhere.status, 401);
      const valid = await requestFrom(app.url, {
        path: '/api/presence',
        headers: { authorization: `Bearer ${await ssoToken(app, BOB)}` },
        localAddress: '127.0.0.2',
      });
      assert.equal(valid.status, 200);
      await assertBlockedThenFreed(app, clock, forged);
    });

    it('the bot endpoint shares the guard: once the address is blocked, /api/messages is 429 too', async () => {
      await start({ authFailures: { burst: 2, perSecond: 1 } });
      const [, forged] = (await badTokens(app))[0] ?? [];
      assert.ok(forged);
      for (let i = 0; i < 2; i++) assert.equal((await call(app.url, 'GET', { token: forged })).status, 401);
      const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(res.status, 429);
      assert.match(res.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    });
  });

  describe('failed sign-ins in production mode: the client address is X-Forwarded-For’s last entry', () => {
    // alg none is refused before any key is fetched, so no request leaves this machine.
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ oid: ALICE, tid: TENANT })}.`;
    const asClient = (forwardedFor: string) =>
      requestFrom(app.url, { path: '/api/presence', headers: { authorization: `Bearer ${unsigned}`, 'x-forwarded-for': forwardedFor } });

    it('a client blocked as 203.0.113.7 stays blocked whatever it puts in front; the left-most entries name nobody', async () => {
      await start({ authFailures: { burst: 5, perSecond: 1 } }, PRODUCTION_ENV);
      for (let i = 0; i < 5; i++) assert.equal((await asClient('203.0.113.7:50000')).status, 401);
      assert.equal((await asClient('203.0.113.7:50001')).status, 429, 'the port is not part of the address');
      assert.equal((await asClient('198.51.100.1, 10.0.0.1, 203.0.113.7:50002')).status, 429, 'forged entries in front are ignored');
      assert.equal((await asClient('198.51.100.9:40000')).status, 401, 'another client is not blocked');
      assert.equal((await asClient('203.0.113.7, 198.51.100.10:40000')).status, 401, 'a blocked address written by the client is not the client');
    });
  });

  describe('per tenant', () => {
    it('noisy neighbour: user A flat out for 30 s, then user B of the same tenant is served 20 of 20, and Graph never throttles the tenant', async function () {
      await start();
      const alice = await ssoToken(app, ALICE);
      const bob = await ssoToken(app, BOB);
      const seconds = 30;
      const perTick = 20;
      let served = 0;
      let refused = 0;
      for (let s = 0; s < seconds; s++) {
        const replies = await all(perTick, () => call(app.url, 'GET', { token: alice }));
        served += replies.filter((r) => r.status === 200).length;
        refused += replies.filter((r) => r.status === 429).length;
        clock.tick(1000);
      }
      const bobReplies = await all(20, () => call(app.url, 'GET', { token: bob }));
      const log = await graphLog(app);
      const aliceCalls = log.filter((r) => r.userId === ALICE).length;
      const report = `A: ${served} served, ${refused} refused, ${aliceCalls} Graph calls in ${seconds} s; B: ${bobReplies.filter((r) => r.status === 200).length}/20 served`;
      if (this.test) this.test.title += ` (${report})`;
      assert.deepEqual(
        bobReplies.map((r) => r.status),
        new Array<number>(20).fill(200),
        report,
      );
      // The per-user bucket: the burst, then one command per refill, whatever A sends.
      assert.equal(served, burst + Math.floor((seconds - 1) * perSecond), report);
      assert.equal(served + refused, seconds * perTick, report);
      assert.equal(aliceCalls, served, report);
      assert.deepEqual(
        log.filter((r) => r.status === 429),
        [],
        'the emulator’s tenant throttle was never reached',
      );
    });

    it('with a small tenant budget, a second user is throttled locally, with Retry-After, and nothing is sent to Graph', async () => {
      await start({ limits: { ...DEFAULT_LIMITS, tenant: { requests: 3, windowMs: 30_000 } } });
      const alice = { kind: 'sso', ssoToken: await ssoToken(app, ALICE) } as const;
      const bob = { kind: 'sso', ssoToken: await ssoToken(app, BOB) } as const;
      for (let i = 0; i < 3; i++) await app.service.execute(alice, { kind: 'read' });
      await clearGraphRequests(app);
      const err = await app.service.execute(bob, { kind: 'read' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof PresenceError);
      assert.equal(err.code, 'throttled');
      const wait = err.retryAfterSeconds ?? 0;
      // The window slides in tenths (3 s): the three calls leave it when the tenth they were counted in does.
      assert.ok(wait > 27 && wait <= 30, `Retry-After ${wait}`);
      assert.deepEqual(await graphLog(app), []);
      const overHttp = await call<ApiError>(app.url, 'GET', { token: bob.ssoToken });
      assert.equal(overHttp.status, 429);
      assert.equal(overHttp.body.error.code, 'throttled');
      assert.equal(overHttp.headers.get('retry-after'), String(wait));
      assert.deepEqual(await graphLog(app), []);
      clock.tick(wait * 1000);
      await app.service.execute(bob, { kind: 'read' });
      assert.equal((await graphLog(app)).length, 1, 'the window has room again');
    });

    it('after Graph answers 429 for one user, the tenant’s other users wait out its Retry-After without a Graph call', async () => {
      await start();
      const alice = await ssoToken(app, ALICE);
      const bob = await ssoToken(app, BOB);
      sandboxOf(app).faults.add({ path: '/me/presence', fault: { kind: 'status', status: 429, retryAfterSeconds: 40 } });
      const first = await call<ApiError>(app.url, 'GET', { token: alice });
      assert.equal(first.status, 429);
      assert.equal(first.body.error.code, 'throttled');
      assert.equal(first.headers.get('retry-after'), '40');
      await clearGraphRequests(app);
      clock.tick(10_000);
      const second = await call<ApiError>(app.url, 'GET', { token: bob });
      assert.equal(second.status, 429);
      assert.equal(second.body.error.code, 'throttled');
      assert.equal(second.headers.get('retry-after'), '30', 'what is left of Graph’s 40 s');
      assert.deepEqual(await graphLog(app), [], 'Bob’s command never reached Graph');
      clock.tick(30_000);
      assert.equal((await call(app.url, 'GET', { token: bob })).status, 200);
      assert.equal((await graphLog(app)).length, 1);
    });
  });
});

/** The address is blocked: a valid token is refused unread too; once its Retry-After has passed, the valid token is served. */
async function assertBlockedThenFreed(app: RunningApp, clock: sinon.SinonFakeTimers, forged: string): Promise<void> {
  const valid = await ssoToken(app, ALICE);
  const before = app.tokens.stats().ssoValidations;
  const blocked = await call<ApiError>(app.url, 'GET', { token: valid });
  assert.equal(blocked.status, 429, 'a valid token from a blocked address');
  assert.equal(blocked.body.error.code, 'rate_limited');
  assert.equal((await call(app.url, 'GET', { token: forged })).status, 429);
  assert.equal(app.tokens.stats().ssoValidations, before, 'refused before the token is validated');
  clock.tick(Number(blocked.headers.get('retry-after')) * 1000);
  assert.equal((await call(app.url, 'GET', { token: valid })).status, 200);
}

/** ALICE's claims signed by a key of its own under the issuer's key ID; made without the app validating anything. */
async function forgedToken(app: RunningApp): Promise<string> {
  const issuer = sandboxOf(app).issuer;
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT({ oid: ALICE, tid: TENANT, scp: 'access_as_user', ver: '2.0' })
    .setProtectedHeader({ alg: 'RS256', kid: issuer.jwks().keys[0]?.kid, typ: 'JWT' })
    .setIssuer(issuer.issuerFor(TENANT))
    .setAudience(app.config.appId)
    .setSubject(ALICE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
}
