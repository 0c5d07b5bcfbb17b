/**
 * The job scheduler on the store port, against memory and against Azure Table Storage (Azurite): due jobs run,
 * early ones wait, several instances polling at once run each job exactly once, a lapsed lease lets another
 * instance finish a job a dead one claimed, failures retry with backoff and then give up, and cancelled or
 * forgotten jobs never run.
 */
import assert from 'node:assert/strict';
import { FinalJobFailure, JobScheduler, type Job, type JobHandler } from '../../presence/jobs';
import { silentLogger } from '../../presence/log';
import { MemoryRecordStore } from '../../presence/memory-store';
import type { RecordStore } from '../../presence/store';
import { azuriteTable } from '../support/storage';

const ALICE = { tenantId: '00000000-0000-0000-0000-000000000001', userId: '00000000-0000-0000-0000-00000000000a' };
const BOB = { tenantId: ALICE.tenantId, userId: '00000000-0000-0000-0000-00000000000b' };
const MINUTE = 60_000;

const adapters: Record<string, (now: () => number) => Promise<RecordStore>> = {
  memory: (now) => Promise.resolve(new MemoryRecordStore(now)),
  'Azure Table Storage (Azurite)': (now) => azuriteTable(now),
};

for (const [name, open] of Object.entries(adapters)) {
  describe(`job scheduler: ${name}`, () => {
    let clock: number;
    let index: RecordStore;
    let ran: Job[];
    const now = () => clock;
    const recording: JobHandler = { run: (job) => (ran.push(job), Promise.resolve()) };
    const scheduler = (handlers: Record<string, JobHandler> = { note: recording }, extra: Partial<ConstructorParameters<typeof JobScheduler>[0]> = {}) =>
      new JobScheduler({ index, handlers, logger: silentLogger, now, ...extra });

    beforeEach(async () => {
      clock = Date.parse('2026-12-01T09:00:00Z');
      index = await open(now);
      ran = [];
    });

    it('runs a job once it is due, not before, and removes it', async () => {
      const jobs = scheduler();
      await jobs.schedule(ALICE, { kind: 'note', dueAt: new Date(clock + 10 * MINUTE), payload: { n: 1 } });
      assert.equal(await jobs.runDue(), 0);
      clock += 10 * MINUTE - 1;
      assert.equal(await jobs.runDue(), 0, 'a millisecond early');
      clock += 1;
      assert.equal(await jobs.runDue(), 1);
      assert.deepEqual(
        ran.map((j) => [j.kind, j.payload, j.owner, j.attempt]),
        [['note', { n: 1 }, ALICE, 0]],
      );
      assert.equal(await jobs.runDue(), 0, 'gone once run');
      assert.deepEqual(await jobs.pending(ALICE), []);
    });

    it('runs due jobs in due order and lists the pending ones, soonest first', async () => {
      const jobs = scheduler({ note: recording }, { concurrency: 1 });
      for (const m of [30, 10, 20]) await jobs.schedule(ALICE, { kind: 'note', dueAt: new Date(clock + m * MINUTE), payload: { m } });
      assert.deepEqual(
        (await jobs.pending(ALICE)).map((j) => j.payload.m),
        [10, 20, 30],
      );
      clock += 25 * MINUTE;
      assert.equal(await jobs.runDue(), 2);
      assert.deepEqual(
        ran.map((j) => j.payload.m),
        [10, 20],
      );
    });

    it('three instances polling at once run each of 30 due jobs exactly once', async () => {
      const instances = [scheduler(), scheduler(), scheduler()];
      for (let i = 0; i < 30; i++) await instances[i % 3]?.schedule(ALICE, { kind: 'note', dueAt: new Date(clock + MINUTE + i), payload: { i } });
      clock += 2 * MINUTE;
      const counts = await Promise.all(instances.map((s) => s.runDue()));
      assert.equal(
        counts.reduce((a, b) => a + b, 0),
        30,
      );
      assert.deepEqual(
        ran.map((j) => j.payload.i).sort((a, b) => Number(a) - Number(b)),
        Array.from({ length: 30 }, (_, i) => i),
      );
    });

    it('a job claimed by an instance that died runs on another once the lease lapses, and not before', async () => {
      const dying: JobHandler = { run: () => new Promise<void>(() => undefined) }; // never finishes: the process "died" mid-run
      const first = scheduler({ note: dying }, { leaseMs: MINUTE });
      await first.schedule(ALICE, { kind: 'note', dueAt: new Date(clock), payload: {} });
      void first.runDue();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const second = scheduler();
      assert.equal(await second.runDue(), 0, 'leased');
      clock += MINUTE + 1;
      assert.equal(await second.runDue(), 1, 'the lease lapsed');
      assert.equal(ran.length, 1);
    });

    it('retries a failing job with backoff, then gives up and says so once', async () => {
      const given: Job[] = [];
      let calls = 0;
      const failing: JobHandler = {
        run: () => (calls++, Promise.reject(new Error('graph down'))),
        gaveUp: (job) => (given.push(job), Promise.resolve()),
      };
      const jobs = scheduler({ note: failing }, { maxAttempts: 3 });
      await jobs.schedule(ALICE, { kind: 'note', dueAt: new Date(clock), payload: {} });
      assert.equal(await jobs.runDue(), 1);
      assert.equal(await jobs.runDue(), 0, 'waits its backoff (10 s)');
      clock += 10_000;
      assert.equal(await jobs.runDue(), 1);
      clock += 39_999;
      assert.equal(await jobs.runDue(), 0, 'the second backoff is 40 s');
      clock += 1;
      assert.equal(await jobs.runDue(), 1);
      assert.equal(calls, 3);
      assert.deepEqual(
        given.map((j) => j.attempt),
        [2],
      );
      clock += 3600_000;
      assert.equal(await jobs.runDue(), 0, 'given up: nothing left');
      assert.deepEqual(await jobs.pending(ALICE), []);
    });

    it('leaves a job of a kind it does not know (a newer version’s, in a rolling deploy) for an instance that knows it', async () => {
      const older = scheduler({});
      const newer = scheduler();
      await newer.schedule(ALICE, { kind: 'note', dueAt: new Date(clock), payload: {} });
      assert.equal(await older.runDue(), 0);
      assert.equal((await newer.pending(ALICE)).length, 1, 'not dropped');
      assert.equal(await newer.runDue(), 1);
      assert.equal(ran.length, 1);
    });

    it('gives up at once, without retries, when the handler says trying again cannot help', async () => {
      const given: Job[] = [];
      let calls = 0;
      const final: JobHandler = {
        run: () => (calls++, Promise.reject(new FinalJobFailure('the chat answered 403'))),
        gaveUp: (job) => (given.push(job), Promise.resolve()),
      };
      const jobs = scheduler({ note: final });
      await jobs.schedule(ALICE, { kind: 'note', dueAt: new Date(clock), payload: {} });
      assert.equal(await jobs.runDue(), 1);
      clock += 3600_000;
      assert.equal(await jobs.runDue(), 0);
      assert.equal(calls, 1);
      assert.equal(given.length, 1);
      assert.deepEqual(await jobs.pending(ALICE), []);
    });

    it('never runs a cancelled job, nor one whose owner said "forget me", and runs the others', async () => {
      const jobs = scheduler();
      const id = await jobs.schedule(ALICE, { kind: 'note', dueAt: new Date(clock + MINUTE), payload: { which: 'cancelled' } });
      await jobs.schedule(ALICE, { kind: 'note', dueAt: new Date(clock + MINUTE), payload: { which: 'forgotten' } });
      await jobs.schedule(BOB, { kind: 'note', dueAt: new Date(clock + MINUTE), payload: { which: 'kept' } });
      assert.equal(await jobs.cancel(ALICE, id), true);
      assert.equal(await jobs.forget(ALICE), 1);
      clock += 2 * MINUTE;
      assert.equal(await jobs.runDue(), 1);
      assert.deepEqual(
        ran.map((j) => j.payload.which),
        ['kept'],
      );
    });
  });
}
