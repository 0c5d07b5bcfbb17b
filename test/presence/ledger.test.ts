/**
 * The record of what the app set (presence/ledger.ts): its instance cache saves the read before a write, and
 * several instances (ledgers) on one store still never lose or miss each other's changes.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { PresenceLedger, RETENTION_MS, type AppSetting } from '../../presence/ledger';
import { MemoryRecordStore } from '../../presence/memory-store';
import { userPartition, type AppStores } from '../../presence/store';

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const HOUR = 3600_000;
const ALICE = { tenantId: '00000000-0000-0000-0000-000000000001', userId: '00000000-0000-0000-0000-000000000020' };
const busy = (hours: number): AppSetting => ({ state: 'Busy', expiresAt: new Date(T0 + hours * HOUR) });
const call: AppSetting = { state: 'InACall', expiresAt: new Date(T0 + HOUR) };

describe('PresenceLedger', () => {
  let stores: Pick<AppStores, 'users' | 'transient'>;
  let one: PresenceLedger;
  let two: PresenceLedger;
  const stored = async () => (await stores.users.read({ partition: userPartition(ALICE), row: 'presence' }))?.value as Record<string, unknown> | undefined;

  beforeEach(() => {
    stores = { users: new MemoryRecordStore(() => T0), transient: new MemoryRecordStore(() => T0) };
    one = new PresenceLedger(stores, { now: () => T0 });
    two = new PresenceLedger(stores, { now: () => T0 });
  });
  afterEach(() => sinon.restore());

  it("a returning user's change on the same instance is one write and no read", async () => {
    await one.update(ALICE, { preferred: busy(1) });
    const reads = sinon.spy(stores.users, 'read');
    const replaces = sinon.spy(stores.users, 'replace');
    await one.update(ALICE, { preferred: busy(2) });
    await one.update(ALICE, { session: call });
    assert.equal(reads.callCount, 0);
    assert.equal(replaces.callCount, 2);
    assert.equal((await stored())?.version, 3);
  });

  it('a change from an instance whose view is stale keeps what the other instance wrote', async () => {
    await one.update(ALICE, { preferred: busy(1) });
    await two.update(ALICE, { session: call });
    const record = await one.update(ALICE, { preferred: null });
    assert.equal(record.preferred, undefined);
    assert.equal(record.session?.state, 'InACall', "the other instance's session is kept");
    assert.equal(record.version, 3);
    assert.deepEqual(await two.get(ALICE), record);
  });

  it('a stale cached copy that sees nothing to clear still clears what another instance set', async () => {
    await one.update(ALICE, { session: call });
    await one.update(ALICE, { preferred: null }); // nothing to clear: one's cached copy has no preferred status
    await two.update(ALICE, { preferred: busy(1) });
    const reads = sinon.spy(stores.users, 'read');
    await one.update(ALICE, { preferred: null });
    assert.equal(reads.callCount, 1, 'the cache said "nothing to do", so the stored record decided');
    assert.equal((await stored())?.preferred, undefined);
    assert.equal(((await stored()) as { session?: { state: string } }).session?.state, 'InACall');
  });

  it('20 changes at once from two instances all land: the version counts every one, none reports a failure', async () => {
    await one.update(ALICE, { preferred: busy(1) });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).update(ALICE, { preferred: busy(2 + i) })));
    assert.deepEqual(
      results.filter((r) => r.status === 'rejected'),
      [],
    );
    assert.equal((await stored())?.version, 21);
  });

  it('does not write from a cached copy whose stored record has passed its retention', async () => {
    let now = T0;
    const clocked = { users: new MemoryRecordStore(() => now), transient: new MemoryRecordStore(() => now) };
    const ledger = new PresenceLedger(clocked, { now: () => now });
    await ledger.update(ALICE, { preferred: busy(1) });
    now = T0 + RETENTION_MS + 1;
    const reads = sinon.spy(clocked.users, 'read');
    const record = await ledger.update(ALICE, { contact: { conversation: { id: 'a:1' } } });
    assert.equal(reads.callCount, 1, 'read afresh');
    assert.equal(record.version, 1, 'a new record, not the expired one continued');
  });

  it('after another instance deleted the record (forget me), a change creates it anew', async () => {
    await one.update(ALICE, { preferred: busy(1) });
    assert.equal(await two.forget(ALICE), 1);
    const record = await one.update(ALICE, { preferred: busy(2) });
    assert.equal(record.version, 1);
    assert.equal((await stored())?.version, 1);
  });

  it('writes nothing when nothing changes (the same contact again)', async () => {
    const contact = { conversation: { id: 'a:1' }, locale: 'en-US' };
    await one.update(ALICE, { contact });
    const writes = sinon.spy(stores.users, 'replace');
    await one.update(ALICE, { contact });
    assert.equal(writes.callCount, 0);
  });
});
