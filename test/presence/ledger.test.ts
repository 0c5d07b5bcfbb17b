/**
 * The record of what the app set (presence/ledger.ts): its instance cache saves the read before a write, and
 * several instances (ledgers) on one store still never lose or miss each other's changes.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { PresenceLedger, type AppSetting } from '../../presence/ledger';
import { MemoryRecordStore } from '../../presence/memory-store';
import { userPartition, type AppStores } from '../../presence/store';

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const HOUR = 3600_000;
const ALICE = { tenantId: '00000000-0000-0000-0000-000000000001', userId: '00000000-0000-0000-0000-000000000020' };
const busy = (hours: number): AppSetting => ({ state: 'Busy', expiresAt: new Date(T0 + hours * HOUR) });
const call: AppSetting = { state: 'InACall', expiresAt: new Date(T0 + HOUR) };

describe('PresenceLedger', () => {
  let stores: AppStores;
  let one: PresenceLedger;
  let two: PresenceLedger;
  const stored = async () => (await stores.users.read({ partition: userPartition(ALICE), row: 'presence' }))?.value as Record<string, unknown> | undefined;

  beforeEach(() => {
    stores = { users: new MemoryRecordStore(() => T0), transient: new MemoryRecordStore(() => T0) };
    one = new PresenceLedger(stores, { now: () => T0 });
    two = new PresenceLedger(stores, { now: () => T0 });
  });
  afterEach(() => sinon.restore());

  it('a returning user\'s change on the same instance is one write and no read', async () => {
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
    assert.equal(record.session?.state, 'InACall', 'the other instance\'s session is kept');
    assert.equal(record.version, 3);
    assert.deepEqual(await two.get(ALICE), record);
  });

  it('a stale view that sees nothing to clear still clears what another instance set', async () => {
    assert.equal((await one.get(ALICE)).preferred, undefined);
    await two.update(ALICE, { preferred: busy(1) });
    await one.update(ALICE, { preferred: null });
    assert.equal((await stored())?.preferred, undefined);
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
