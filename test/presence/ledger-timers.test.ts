/**
 * What the record keeps for the timers (presence/ledger.ts): what comes back when a status ends, the renewal of a
 * long session, and statuses planned ahead, each applied inside the ETag-checked write.
 */
import assert from 'node:assert/strict';
import { PresenceLedger, needsRefreshToken, type AppSetting, type PlannedStatus } from '../../presence/ledger';
import { MemoryRecordStore } from '../../presence/memory-store';
import type { AppStores } from '../../presence/store';

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const HOUR = 3600_000;
const ALICE = { tenantId: '00000000-0000-0000-0000-000000000001', userId: '00000000-0000-0000-0000-000000000020' };
const setting = (state: AppSetting['state'], hours: number, extra: Partial<AppSetting> = {}): AppSetting => ({
  state,
  expiresAt: new Date(T0 + hours * HOUR),
  ...extra,
});
const plan = (id: string, startHours: number): PlannedStatus => ({
  id,
  state: 'DoNotDisturb',
  startAt: new Date(T0 + startHours * HOUR),
  endAt: new Date(T0 + (startHours + 1) * HOUR),
});

describe('PresenceLedger: what the timers need', () => {
  let now: number;
  let stores: Pick<AppStores, 'users' | 'transient'>;
  let ledger: PresenceLedger;

  beforeEach(() => {
    now = T0;
    stores = { users: new MemoryRecordStore(() => now), transient: new MemoryRecordStore(() => now) };
    ledger = new PresenceLedger(stores, { now: () => now });
  });

  it('a status replaced before its end comes back after the one replacing it; the nearest first, with its message', async () => {
    await ledger.update(ALICE, { preferred: setting('Busy', 8, { statusMessage: 'all day' }) });
    await ledger.update(ALICE, { preferred: setting('DoNotDisturb', 3) });
    const record = await ledger.update(ALICE, { preferred: setting('BeRightBack', 1) });
    assert.deepEqual(record.underneath?.preferred, [setting('DoNotDisturb', 3), setting('Busy', 8, { statusMessage: 'all day' })]);
    assert.equal(needsRefreshToken(record), true);
  });

  it('nothing comes back that ends first, nor one of the same state ("dnd 1h" after "dnd 8h" shortens it)', async () => {
    await ledger.update(ALICE, { preferred: setting('Busy', 1) });
    let record = await ledger.update(ALICE, { preferred: setting('DoNotDisturb', 2) });
    assert.equal(record.underneath, undefined, 'Busy ends first');
    record = await ledger.update(ALICE, { preferred: setting('DoNotDisturb', 1) });
    assert.equal(record.underneath, undefined, 'the same state');
    assert.equal(needsRefreshToken(record), false);
  });

  it('a slot keeps at most three, and only its own (a session never brings back a preferred status)', async () => {
    for (const [state, hours] of [
      ['Available', 9],
      ['Busy', 8],
      ['Away', 7],
      ['AppearOffline', 6],
      ['DoNotDisturb', 1],
    ] as const)
      await ledger.update(ALICE, { preferred: setting(state, hours) });
    const record = await ledger.update(ALICE, { session: setting('InACall', 0.5) });
    assert.deepEqual(
      record.underneath?.preferred?.map((s) => s.state),
      ['AppearOffline', 'Away', 'Busy'],
    );
    assert.equal(record.underneath?.session, undefined);
  });

  it('a reset of a slot clears what would come back there; what has ended is dropped on read', async () => {
    await ledger.update(ALICE, { preferred: setting('Busy', 3) });
    await ledger.update(ALICE, { preferred: setting('DoNotDisturb', 1) });
    assert.equal((await ledger.update(ALICE, { preferred: null })).underneath, undefined);
    await ledger.update(ALICE, { preferred: setting('Busy', 3) });
    await ledger.update(ALICE, { preferred: setting('DoNotDisturb', 1) });
    now = T0 + 4 * HOUR;
    const record = await ledger.get(ALICE);
    assert.equal(record.preferred, undefined);
    assert.equal(record.underneath, undefined);
  });

  it('stored() keeps a status that has just ended, so its timer still finds what it was planned for', async () => {
    await ledger.update(ALICE, { preferred: setting('Busy', 3) });
    await ledger.update(ALICE, { preferred: setting('DoNotDisturb', 1) });
    now = T0 + HOUR;
    assert.equal((await ledger.get(ALICE)).preferred, undefined);
    const stored = await ledger.stored(ALICE);
    assert.deepEqual(stored.preferred, setting('DoNotDisturb', 1));
    assert.deepEqual(stored.underneath?.preferred, [setting('Busy', 3)]);
  });

  it("a renewal records Graph's new end only while the session is the one renewed", async () => {
    const long = setting('Presenting', 6, { graphExpiresAt: new Date(T0 + 4 * HOUR) });
    await ledger.update(ALICE, { session: long });
    let record = await ledger.update(ALICE, { renewed: { state: 'Presenting', expiresAt: long.expiresAt, graphExpiresAt: undefined } });
    assert.deepEqual(record.session, setting('Presenting', 6), 'the last renewal: Graph ends it when asked');
    await ledger.update(ALICE, { session: long });
    record = await ledger.update(ALICE, { renewed: { givenUp: { state: 'Presenting', expiresAt: long.expiresAt } } });
    assert.deepEqual(record.session, setting('Presenting', 4), "a renewal given up: the session ends at Graph's end, and the record says so");
    await ledger.update(ALICE, { session: setting('InACall', 1) });
    record = await ledger.update(ALICE, { renewed: { state: 'Presenting', expiresAt: long.expiresAt, graphExpiresAt: new Date(T0 + 8 * HOUR) } });
    assert.deepEqual(record.session, setting('InACall', 1), 'a stale renewal changes nothing');
  });

  it('planned statuses are kept soonest first, removed by ID, and all dropped with the other plans when sign-in is refused', async () => {
    await ledger.update(ALICE, { plan: plan('b', 5) });
    let record = await ledger.update(ALICE, { plan: plan('a', 2) });
    assert.deepEqual(
      record.planned?.map((p) => p.id),
      ['a', 'b'],
    );
    record = await ledger.update(ALICE, { unplan: ['a'] });
    assert.deepEqual(
      record.planned?.map((p) => p.id),
      ['b'],
    );
    await ledger.update(ALICE, { preferred: setting('Busy', 3) });
    await ledger.update(ALICE, { preferred: setting('DoNotDisturb', 1) });
    await ledger.update(ALICE, { session: setting('Presenting', 6, { graphExpiresAt: new Date(T0 + 4 * HOUR) }) });
    assert.equal(needsRefreshToken(await ledger.get(ALICE)), true);
    record = await ledger.update(ALICE, { dropPlans: true });
    assert.equal(record.planned, undefined);
    assert.equal(record.underneath, undefined);
    assert.deepEqual(record.session, setting('Presenting', 4), "the session stays, and its end is Graph's: no renewal comes");
    assert.equal(record.preferred?.state, 'DoNotDisturb');
    assert.equal(needsRefreshToken(record), false);
  });

  it('all of it survives the store: another instance reads the same plans', async () => {
    await ledger.update(ALICE, { preferred: setting('Busy', 3, { statusMessage: 'x' }) });
    await ledger.update(ALICE, { preferred: setting('DoNotDisturb', 1), plan: plan('p', 5) });
    await ledger.update(ALICE, { session: setting('Presenting', 6, { graphExpiresAt: new Date(T0 + 4 * HOUR) }) });
    const other = new PresenceLedger(stores, { now: () => now });
    const record = await other.get(ALICE);
    assert.deepEqual(record.underneath?.preferred, [setting('Busy', 3, { statusMessage: 'x' })]);
    assert.deepEqual(record.planned, [plan('p', 5)]);
    assert.deepEqual(record.session?.graphExpiresAt, new Date(T0 + 4 * HOUR));
  });
});
