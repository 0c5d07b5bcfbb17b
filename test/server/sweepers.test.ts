/** Expired records go: the periodic sweeps (server/sweepers.ts) on the clock, held by sinon. */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { silentLogger } from '../../presence/log';
import { MemoryRecordStore } from '../../presence/memory-store';
import { SWEEP_EVERY_MS, startSweepers } from '../../server/sweepers';

describe('periodic sweeps of expired records', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: Date.parse('2026-12-01T09:00:00Z'), toFake: ['setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => clock.restore());

  it('removes an expired sign-in claim within 5 minutes, and an expired user record within 6 hours', async () => {
    const stores = { users: new MemoryRecordStore(), transient: new MemoryRecordStore(), jobs: new MemoryRecordStore() };
    await stores.transient.create({ partition: 'p', row: 'claim' }, {}, { expiresAt: new Date(Date.now() + 60_000) });
    await stores.transient.create({ partition: 'p', row: 'pending' }, {}, { expiresAt: new Date(Date.now() + 3600_000) });
    await stores.users.create({ partition: 'p', row: 'presence' }, {}, { expiresAt: new Date(Date.now() + 60_000) });
    const stop = startSweepers(stores, silentLogger);
    await clock.tickAsync(SWEEP_EVERY_MS.transient);
    assert.equal(stores.transient.size, 1, 'the claim is gone, the pending command (not expired) stays');
    assert.equal(stores.users.size, 1, 'user records are swept less often');
    await clock.tickAsync(SWEEP_EVERY_MS.users);
    assert.equal(stores.users.size, 0);
    assert.equal(stores.transient.size, 0);
    stop();
    await stores.transient.create({ partition: 'p', row: 'late' }, {}, { expiresAt: new Date(Date.now() + 1) });
    await clock.tickAsync(SWEEP_EVERY_MS.users);
    assert.equal(stores.transient.size, 1, 'stopped: nothing sweeps any more');
  });
});
