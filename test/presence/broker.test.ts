/** GraphTokenBroker: per-user caching, refresh ahead of expiry, LRU bound, single-flight exchanges. */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { PresenceError } from '../../presence/errors';
import { GraphTokenBroker, type BrokerOptions } from '../../presence/tokens/broker';
import type { Identity } from '../../presence/tokens/identity';
import type { GraphToken, TokenExchanger } from '../../presence/tokens/obo';
import type { ValidatedSso } from '../../presence/tokens/sso-validator';
import { rejection, TENANT_A, TENANT_B } from './helpers';

const HOUR = 3600_000;
const MINUTE = 60_000;
const T0 = Date.parse('2026-11-23T09:00:00.000Z');

/** SSO tokens look like `sso:<tenant>:<user>`; anything else is rejected like a forged token. */
const validator: BrokerOptions['validator'] = {
  validate(token: string): Promise<ValidatedSso> {
    const [kind, tenantId, userId] = token.split(':');
    if (kind !== 'sso' || !tenantId || !userId) return Promise.reject(new PresenceError('unauthenticated'));
    return Promise.resolve({ identity: { tenantId, userId }, expiresAt: new Date(Date.now() + HOUR) });
  },
};
const sso = (id: Identity) => `sso:${id.tenantId}:${id.userId}`;

const ALICE: Identity = { tenantId: TENANT_A, userId: 'alice' };
const BOB: Identity = { tenantId: TENANT_A, userId: 'bob' };
const CAROL: Identity = { tenantId: TENANT_A, userId: 'carol' };
const ALICE_IN_B: Identity = { tenantId: TENANT_B, userId: 'alice' };

/** Issues `graph-<user>-<n>` tokens valid for `lifetimeMs`; `hold` makes exchanges wait for `release()`. */
class FakeExchanger implements TokenExchanger {
  readonly calls: { ssoToken: string; tenantId: string }[] = [];
  lifetimeMs = HOUR;
  failNext = false;
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => {};

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open();
  }

  async exchange(ssoToken: string, tenantId: string): Promise<GraphToken> {
    this.calls.push({ ssoToken, tenantId });
    const n = this.calls.length;
    const fail = this.failNext;
    this.failNext = false;
    await this.gate;
    if (fail) throw new PresenceError('identity_unavailable');
    return { accessToken: `graph-${ssoToken.split(':')[2]}-${n}`, expiresAt: Date.now() + this.lifetimeMs };
  }
}

describe('GraphTokenBroker', () => {
  let clock: sinon.SinonFakeTimers;
  let exchanger: FakeExchanger;

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: T0, toFake: ['Date'] });
    exchanger = new FakeExchanger();
  });
  afterEach(() => clock.restore());

  const broker = (overrides: Partial<BrokerOptions> = {}) => new GraphTokenBroker({ validator, exchanger, cacheSize: 10, ...overrides });

  it('refuses a token for someone other than the expected sender before exchanging or caching it', async () => {
    const b = broker();
    for (const sender of [BOB, ALICE_IN_B]) {
      const err = await rejection(b.fromSso(sso(ALICE), sender));
      assert.ok(err instanceof PresenceError && err.code === 'unauthenticated');
    }
    assert.equal(exchanger.calls.length, 0);
    assert.equal(b.cached(ALICE), undefined);
    const ok = await b.fromSso(sso(ALICE), ALICE);
    assert.equal(ok.identity.userId, 'alice');
    assert.equal(exchanger.calls.length, 1);
  });

  it('cached() misses before an exchange and hits after one', async () => {
    const b = broker();
    assert.equal(b.cached(ALICE), undefined);
    const result = await b.fromSso(sso(ALICE));
    assert.deepEqual(result, { identity: ALICE, graphToken: 'graph-alice-1' });
    assert.deepEqual(exchanger.calls, [{ ssoToken: sso(ALICE), tenantId: TENANT_A }]);
    assert.equal(b.cached(ALICE), 'graph-alice-1');
    assert.equal(b.cached(BOB), undefined);
    assert.equal(b.cached(ALICE_IN_B), undefined, 'the same oid in another tenant is another user');
  });

  it('a returning user costs no exchange', async () => {
    const b = broker();
    await b.fromSso(sso(ALICE));
    const again = await b.fromSso(sso(ALICE));
    assert.equal(again.graphToken, 'graph-alice-1');
    assert.equal(exchanger.calls.length, 1);
  });

  it('a token is reused until 5 minutes before it expires, then refreshed', async () => {
    const b = broker();
    await b.fromSso(sso(ALICE)); // expires at T0 + 1h
    clock.tick(HOUR - 5 * MINUTE - 1);
    assert.equal(b.cached(ALICE), 'graph-alice-1');
    clock.tick(1);
    assert.equal(b.cached(ALICE), undefined);
    assert.equal(b.stats().cachedUsers, 0, 'the stale entry is dropped');
    const refreshed = await b.fromSso(sso(ALICE));
    assert.equal(refreshed.graphToken, 'graph-alice-2');
    assert.equal(exchanger.calls.length, 2);
  });

  it('honours an injected clock and refreshBeforeMs', async () => {
    let now = T0;
    const b = broker({ now: () => now, refreshBeforeMs: 10 * MINUTE });
    await b.fromSso(sso(ALICE)); // the fake exchanger stamps expiry from Date.now() = T0
    now = T0 + 49 * MINUTE;
    assert.equal(b.cached(ALICE), 'graph-alice-1');
    now = T0 + 50 * MINUTE;
    assert.equal(b.cached(ALICE), undefined);
  });

  it('keeps at most cacheSize users, forgetting the least recently used', async () => {
    const b = broker({ cacheSize: 2 });
    await b.fromSso(sso(ALICE));
    await b.fromSso(sso(BOB));
    assert.equal(b.cached(ALICE), 'graph-alice-1'); // Alice is now the most recently used
    await b.fromSso(sso(CAROL));
    assert.equal(b.stats().cachedUsers, 2);
    assert.equal(b.cached(BOB), undefined, 'Bob was least recently used');
    assert.equal(b.cached(ALICE), 'graph-alice-1');
    assert.equal(b.cached(CAROL), 'graph-carol-3');
    await b.fromSso(sso(BOB));
    assert.equal(exchanger.calls.length, 4, 'an evicted user exchanges again');
  });

  it('concurrent fromSso for the same user makes one exchange', async () => {
    const b = broker();
    exchanger.hold();
    const pending = Promise.all([b.fromSso(sso(ALICE)), b.fromSso(sso(ALICE)), b.fromSso(sso(ALICE))]);
    await new Promise((resolve) => setImmediate(resolve));
    exchanger.release();
    const results = await pending;
    assert.equal(exchanger.calls.length, 1);
    assert.deepEqual(
      results.map((r) => r.graphToken),
      ['graph-alice-1', 'graph-alice-1', 'graph-alice-1'],
    );
    assert.deepEqual(b.stats(), { ssoValidations: 3, exchanges: 1, cacheHits: 0, cachedUsers: 1 });
  });

  it('concurrent fromSso for different users exchanges for each', async () => {
    const b = broker();
    const results = await Promise.all([b.fromSso(sso(ALICE)), b.fromSso(sso(BOB)), b.fromSso(sso(ALICE_IN_B))]);
    assert.equal(exchanger.calls.length, 3);
    assert.deepEqual(
      results.map((r) => r.identity),
      [ALICE, BOB, ALICE_IN_B],
    );
    assert.deepEqual(
      exchanger.calls.map((c) => c.tenantId),
      [TENANT_A, TENANT_A, TENANT_B],
    );
  });

  it('a failed exchange fails every waiter, caches nothing, and the next call tries again', async () => {
    const b = broker();
    exchanger.failNext = true;
    exchanger.hold();
    const first = b.fromSso(sso(ALICE));
    const second = b.fromSso(sso(ALICE));
    await new Promise((resolve) => setImmediate(resolve));
    exchanger.release();
    for (const p of [first, second]) assert.equal(((await rejection(p)) as PresenceError).code, 'identity_unavailable');
    assert.equal(exchanger.calls.length, 1);
    assert.equal(b.cached(ALICE), undefined);
    assert.equal((await b.fromSso(sso(ALICE))).graphToken, 'graph-alice-2');
  });

  it('an invalid SSO token never reaches the exchanger', async () => {
    const b = broker();
    const err = await rejection(b.fromSso('forged'));
    assert.ok(err instanceof PresenceError && err.code === 'unauthenticated');
    assert.equal(exchanger.calls.length, 0);
    assert.deepEqual(b.stats(), { ssoValidations: 1, exchanges: 0, cacheHits: 0, cachedUsers: 0 });
  });

  it('evict() forgets one user', async () => {
    const b = broker();
    await b.fromSso(sso(ALICE));
    await b.fromSso(sso(BOB));
    b.evict(ALICE);
    b.evict(CAROL); // unknown: no-op
    assert.equal(b.cached(ALICE), undefined);
    assert.equal(b.cached(BOB), 'graph-bob-2');
    assert.equal((await b.fromSso(sso(ALICE))).graphToken, 'graph-alice-3');
  });

  it('stats() counts validations, exchanges, cache hits and cached users', async () => {
    const b = broker();
    assert.deepEqual(b.stats(), { ssoValidations: 0, exchanges: 0, cacheHits: 0, cachedUsers: 0 });
    await b.fromSso(sso(ALICE));
    await b.fromSso(sso(ALICE));
    await b.fromSso(sso(BOB));
    b.cached(BOB);
    b.cached(CAROL);
    assert.deepEqual(b.stats(), { ssoValidations: 3, exchanges: 2, cacheHits: 2, cachedUsers: 2 });
  });

  it('rejects a cache size below 1', () => {
    assert.throws(() => broker({ cacheSize: 0 }), RangeError);
  });
});
