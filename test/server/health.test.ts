/** /healthz costs the store little: its check runs at most once per 10 s, whatever the request rate (clock held). */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { silentLogger } from '../../presence/log';
import { openStorage } from '../../server/storage';

describe('storage health check', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: Date.parse('2026-12-01T09:00:00Z'), toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    clock.restore();
    sinon.restore();
  });

  it('asks the store once for any number of checks within 10 s, then again', async () => {
    const storage = await openStorage({ kind: 'memory' }, { logger: silentLogger });
    const checks = sinon.spy(storage.stores.users, 'check');
    const answers = await Promise.all(Array.from({ length: 50 }, () => storage.healthy()));
    assert.ok(answers.every(Boolean));
    assert.equal(checks.callCount, 1);
    await clock.tickAsync(10_000);
    await storage.healthy();
    assert.equal(checks.callCount, 1, 'still within 10 s');
    await clock.tickAsync(1);
    await storage.healthy();
    assert.equal(checks.callCount, 2);
  });

  it('reports a store that does not answer within 3 s as unhealthy', async () => {
    const storage = await openStorage({ kind: 'memory' }, { logger: silentLogger });
    sinon.stub(storage.stores.transient, 'check').returns(new Promise(() => undefined));
    const answer = storage.healthy();
    await clock.tickAsync(3_000);
    assert.equal(await answer, false);
  });
});
