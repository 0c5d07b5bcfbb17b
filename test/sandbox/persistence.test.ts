/** The Graph emulator's state across a restart (sandbox/graph/persistence.ts), on the store port. */
import assert from 'node:assert/strict';
import { MemoryRecordStore } from '../../presence/memory-store';
import type { RecordStore } from '../../presence/store';
import { PresenceEmulator } from '../../sandbox/graph/emulator';
import { persistEmulator } from '../../sandbox/graph/persistence';
import { azuriteTable } from '../support/storage';

const APP_ID = '22553876-f5ab-4529-bffb-cfe50aa89f87';
const ALICE = '00000000-0000-0000-0000-000000000020';
const BOB = '00000000-0000-0000-0000-000000000021';
const T0 = Date.parse('2026-12-01T09:00:00.000Z');

/** An emulator on `store` after `changes`, with every write saved. */
async function savedAfter(store: RecordStore, changes: (emulator: PresenceEmulator) => void): Promise<PresenceEmulator> {
  const emulator = new PresenceEmulator({ appId: APP_ID, now: () => T0 });
  const persistence = await persistEmulator(emulator, store);
  changes(emulator);
  await persistence.flush();
  return emulator;
}

/** A new emulator on the same store, as after a restart. */
async function restarted(store: RecordStore): Promise<PresenceEmulator> {
  const emulator = new PresenceEmulator({ appId: APP_ID, now: () => T0 });
  await persistEmulator(emulator, store);
  return emulator;
}

describe('Graph emulator persistence', () => {
  for (const [name, open] of [
    ['memory', () => Promise.resolve(new MemoryRecordStore())],
    ['Azurite', () => azuriteTable()],
  ] as const) {
    it(`a new emulator on the same store (${name}) has the same users, sessions, messages and clock`, async () => {
      const store = await open();
      const first = await savedAfter(store, (e) => {
        e.setUserPreferredPresence(ALICE, { availability: 'DoNotDisturb', activity: 'DoNotDisturb', expirationDuration: 'PT2H' });
        e.setPresence(BOB, { sessionId: APP_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT1H' });
        e.setStatusMessage(ALICE, { statusMessage: { message: { content: 'deep work' } } });
        e.setTeamsClientSignedIn(BOB, false);
        e.advance(10 * 60_000);
      });
      const second = await restarted(store);
      assert.equal(second.now(), first.now(), 'the clock offset');
      assert.deepEqual(second.snapshot(ALICE), first.snapshot(ALICE));
      assert.deepEqual(second.snapshot(BOB), first.snapshot(BOB));
      assert.equal(second.snapshot(BOB).presence.availability, 'Busy', 'only the app session: the Teams client is signed out');
    });
  }

  it('a change made right after a reset is what a restart finds (the reset never deletes newer state)', async () => {
    const store = await azuriteTable();
    await savedAfter(store, (e) => {
      e.setUserPreferredPresence(ALICE, { availability: 'Busy', activity: 'Busy' });
      e.reset();
      e.setUserPreferredPresence(BOB, { availability: 'DoNotDisturb', activity: 'DoNotDisturb' });
    });
    const second = await restarted(store);
    assert.equal(second.snapshot(ALICE).preferredPresence, null);
    assert.equal(second.snapshot(BOB).preferredPresence?.availability, 'DoNotDisturb');
  });

  it('a reset forgets the saved users too', async () => {
    const store = new MemoryRecordStore();
    await savedAfter(store, (e) => {
      e.setUserPreferredPresence(ALICE, { availability: 'Busy', activity: 'Busy' });
      e.reset();
    });
    assert.equal((await restarted(store)).snapshot(ALICE).preferredPresence, null);
  });
});
