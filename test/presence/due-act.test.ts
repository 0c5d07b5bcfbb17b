/**
 * What a due timer does (presence/timers.ts dueAct), from the record as stored and the timer's plan: each kind acts
 * only while its plan is the one stored, so a run twice, a status changed since, or a plan cancelled does nothing.
 */
import assert from 'node:assert/strict';
import type { UserRecord } from '../../presence/ledger';
import { dueAct, type Timer } from '../../presence/timers';

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (ms: number) => new Date(T0 + ms);

describe('dueAct: what a due timer does', () => {
  const long = { state: 'Presenting', expiresAt: at(6 * HOUR), graphExpiresAt: at(4 * HOUR) } as const;
  const renew: Timer = { kind: 'renew', state: 'Presenting', expiresAt: at(6 * HOUR), graphExpiresAt: at(4 * HOUR) };

  it('renew: the session planned for, with the Graph end planned for; not a second time once renewed, nor with less than 5 minutes left', () => {
    const record: UserRecord = { version: 1, session: long };
    assert.deepEqual(dueAct(record, renew, T0 + 4 * HOUR - 10 * MINUTE), { kind: 'renew', setting: long });
    const renewed: UserRecord = { version: 2, session: { ...long, graphExpiresAt: at(8 * HOUR - 10 * MINUTE) } };
    assert.equal(dueAct(renewed, renew, T0 + 4 * HOUR - 9 * MINUTE), undefined, 'a duplicate run of a renewal already done');
    assert.equal(dueAct({ version: 3, session: { ...long, state: 'InACall' } }, renew, T0), undefined, 'replaced');
    assert.equal(dueAct({ version: 3 }, renew, T0), undefined, 'reset');
    assert.equal(dueAct(record, renew, T0 + 6 * HOUR - 4 * MINUTE), undefined, 'under 5 minutes left');
  });

  it('restore: what is underneath, for the time it has left, with its message; nothing after a reset or a change', () => {
    const dnd = { state: 'DoNotDisturb', expiresAt: at(HOUR) } as const;
    const busy = { state: 'Busy', expiresAt: at(3 * HOUR), statusMessage: 'all day' } as const;
    const restore: Timer = { kind: 'restore', slot: 'preferred', state: 'DoNotDisturb', expiresAt: at(HOUR) };
    const record: UserRecord = { version: 1, preferred: dnd, underneath: { preferred: [busy] } };
    assert.deepEqual(dueAct(record, restore, T0 + HOUR), {
      kind: 'set',
      request: { kind: 'set', state: 'Busy', durationMs: 2 * HOUR, statusMessage: 'all day' },
    });
    assert.equal(dueAct({ version: 2 }, restore, T0 + HOUR), undefined, 'reset');
    assert.equal(dueAct({ ...record, preferred: { ...dnd, expiresAt: at(2 * HOUR) } }, restore, T0 + HOUR), undefined, 'extended since');
    assert.equal(dueAct(record, restore, T0 + 3 * HOUR - 30_000), undefined, 'less than a minute of Busy left');
  });

  it('start: the planned status until its end, and the plan removed with it; nothing once cancelled or when its time has passed', () => {
    const plan = { id: 'p1', state: 'DoNotDisturb', startAt: at(HOUR), endAt: at(2 * HOUR) } as const;
    const start: Timer = { kind: 'start', id: 'p1' };
    const record: UserRecord = { version: 1, planned: [plan] };
    assert.deepEqual(dueAct(record, start, T0 + HOUR + 500), {
      kind: 'set',
      request: { kind: 'set', state: 'DoNotDisturb', durationMs: HOUR - 500, statusMessage: undefined },
      also: { unplan: ['p1'] },
    });
    assert.equal(dueAct({ version: 2 }, start, T0 + HOUR), undefined, 'cancelled');
    assert.equal(dueAct(record, start, T0 + 2 * HOUR - 30_000), undefined, 'every instance was down until its last minute');
  });
});
