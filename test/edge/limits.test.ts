/** Token buckets (presence/rate-limit.ts) and the per-tenant Graph budget (presence/graph-budget.ts), on a held clock. */
import assert from 'node:assert/strict';
import { TenantBudget } from '../../presence/graph-budget';
import { RateLimiter } from '../../presence/rate-limit';

describe('RateLimiter', () => {
  it('lets a burst through, then one request per refill, and says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 3, perSecond: 0.5 }, 100, () => now);
    assert.deepEqual([limiter.take('a'), limiter.take('a'), limiter.take('a')], [0, 0, 0]);
    assert.equal(limiter.take('a'), 2, 'a token comes back every 2 s');
    assert.equal(limiter.take('b'), 0, 'another key has its own bucket');
    now = 1_999;
    assert.equal(limiter.take('a'), 1);
    now = 2_000;
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('a'), 2);
    now = 60_000;
    assert.deepEqual([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a')], [0, 0, 0, 2], 'refills to the burst, not beyond');
  });

  it('peek does not take a token', () => {
    const limiter = new RateLimiter({ burst: 1, perSecond: 1 }, 10, () => 0);
    assert.equal(limiter.peek('a'), 0);
    assert.equal(limiter.peek('a'), 0);
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.peek('a'), 1);
  });

  it('keeps at most maxKeys buckets', () => {
    const limiter = new RateLimiter({ burst: 1, perSecond: 0.001 }, 2, () => 0);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c'); // 'a' is forgotten: it comes back with a full bucket
    assert.equal(limiter.take('a'), 0);
    assert.ok(limiter.take('c') > 0);
  });
});

describe('TenantBudget', () => {
  it('admits calls up to the budget in a sliding 30 s window, per tenant', () => {
    let now = 1_000_000;
    const budget = new TenantBudget({ requests: 10, windowMs: 30_000 }, () => now);
    for (let i = 0; i < 5; i++) assert.equal(budget.admit('t1', 2), 0);
    assert.equal(budget.used('t1'), 10);
    const wait = budget.admit('t1', 1);
    assert.ok(wait >= 27 && wait <= 30, `waits for the window: ${wait}`);
    assert.equal(budget.admit('t2', 10), 0, 'another tenant has its own budget');
    now += 15_000;
    budget.admit('t1', 0);
    assert.equal(budget.admit('t1', 1) > 0, true, 'still full halfway through the window');
    now += 15_000;
    assert.equal(budget.admit('t1', 1), 0, 'the calls left the window');
    assert.equal(budget.used('t1'), 1);
  });

  it('holds a tenant for Graph’s Retry-After once Graph throttled it', () => {
    let now = 0;
    const budget = new TenantBudget({ requests: 100, windowMs: 30_000 }, () => now);
    budget.throttled('t1', 7);
    assert.equal(budget.admit('t1', 1), 7);
    now = 6_500;
    assert.equal(budget.admit('t1', 1), 1);
    now = 7_000;
    assert.equal(budget.admit('t1', 1), 0);
    assert.equal(budget.admit('t2', 1), 0);
  });
});
