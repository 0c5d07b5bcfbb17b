/**
 * The store port's contract, run against both adapters: memory (unit tests, STORAGE=memory) and Azure Table
 * Storage through the real SDK against Azurite on loopback. What the app relies on (create-if-absent has one
 * winner, ETags stop lost updates, expired records vanish) is run here concurrently, not assumed.
 */
import assert from 'node:assert/strict';
import { MemoryRecordStore } from '../../presence/memory-store';
import { forgetUser, isStoreError, userPartition, type RecordStore } from '../../presence/store';
import { TableClient } from '@azure/data-tables';
import { TableRecordStore } from '../../storage/table-store';
import { azuriteTable, testAzurite } from '../support/storage';

const KEY = { partition: 'tenant_user', row: 'record' };
const MINUTE = 60_000;

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => isStoreError(err) && err.code === code);
}

const adapters: Record<string, (now: () => number) => Promise<RecordStore>> = {
  memory: (now) => Promise.resolve(new MemoryRecordStore(now)),
  'Azure Table Storage (Azurite)': (now) => azuriteTable(now),
};

for (const [name, open] of Object.entries(adapters)) {
  describe(`record store contract: ${name}`, () => {
    let clock: number;
    let store: RecordStore;
    const now = () => clock;

    beforeEach(async () => {
      clock = Date.now();
      store = await open(now);
    });

    it('reads nothing where nothing was written', async () => {
      assert.equal(await store.read(KEY), undefined);
      assert.equal((await store.list('nobody')).size, 0);
    });

    it('creates, reads back the value and its ETag, and refuses a second create', async () => {
      const etag = await store.create(KEY, { version: 1, nested: { list: [1, 'two'] } });
      const record = await store.read(KEY);
      assert.deepEqual(record?.value, { version: 1, nested: { list: [1, 'two'] } });
      assert.equal(record?.etag, etag);
      await rejectsWith(store.create(KEY, { version: 2 }), 'conflict');
      assert.deepEqual((await store.read(KEY))?.value, { version: 1, nested: { list: [1, 'two'] } });
    });

    it('of 20 concurrent creates of one key, exactly one wins', async () => {
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.create(KEY, { winner: i })));
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(isStoreError(r.reason, 'conflict'), String(r.reason));
      const winner = results.findIndex((r) => r.status === 'fulfilled');
      assert.deepEqual((await store.read(KEY))?.value, { winner });
    });

    it('replaces only with the current ETag', async () => {
      const first = await store.create(KEY, { n: 1 });
      const second = await store.replace(KEY, { n: 2 }, first);
      assert.notEqual(second, first);
      await rejectsWith(store.replace(KEY, { n: 3 }, first), 'conflict');
      assert.deepEqual((await store.read(KEY))?.value, { n: 2 });
      await rejectsWith(store.replace({ ...KEY, row: 'absent' }, { n: 1 }, second), 'conflict');
    });

    it('loses no update when 20 writers read-modify-write one record at once (ETag retries)', async () => {
      await store.create(KEY, { count: 0 });
      const increment = async () => {
        for (;;) {
          const record = await store.read(KEY);
          const count = (record?.value as { count: number }).count;
          try {
            await store.replace(KEY, { count: count + 1 }, record?.etag ?? '');
            return;
          } catch (err) {
            if (!isStoreError(err, 'conflict')) throw err;
          }
        }
      };
      await Promise.all(Array.from({ length: 20 }, increment));
      assert.deepEqual((await store.read(KEY))?.value, { count: 20 });
    });

    it('upserts unconditionally', async () => {
      await store.upsert(KEY, { a: 1 });
      await store.upsert(KEY, { a: 2 });
      assert.deepEqual((await store.read(KEY))?.value, { a: 2 });
    });

    it('deletes, with an ETag only while unchanged', async () => {
      const etag = await store.create(KEY, { a: 1 });
      await store.replace(KEY, { a: 2 }, etag);
      await rejectsWith(store.delete(KEY, etag), 'conflict');
      assert.equal(await store.delete(KEY), true);
      assert.equal(await store.read(KEY), undefined);
      assert.equal(await store.delete(KEY), false);
    });

    it('of 20 concurrent deletes with one ETag (taking a pending command), exactly one succeeds', async () => {
      const etag = await store.create(KEY, { pending: 'dnd 8h' });
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => store.delete(KEY, etag)));
      const taken = results.filter((r) => r.status === 'fulfilled' && r.value === true);
      assert.equal(taken.length, 1);
    });

    it('treats a record past its expiry as absent: reads miss it, create takes its key, list skips it', async () => {
      await store.create(KEY, { claim: 1 }, { expiresAt: new Date(clock + MINUTE) });
      await rejectsWith(store.create(KEY, { claim: 2 }), 'conflict');
      clock += MINUTE + 1;
      assert.equal(await store.read(KEY), undefined);
      assert.equal((await store.list(KEY.partition)).size, 0);
      await store.create(KEY, { claim: 3 }, { expiresAt: new Date(clock + MINUTE) });
      assert.deepEqual((await store.read(KEY))?.value, { claim: 3 });
    });

    it('an expired record keeps its ETag until swept (replace with it succeeds), and list can include it', async () => {
      const etag = await store.create(KEY, { n: 1 }, { expiresAt: new Date(clock + 1000) });
      clock += 2000;
      assert.equal((await store.list(KEY.partition)).size, 0);
      assert.equal((await store.list(KEY.partition, { includeExpired: true })).size, 1);
      await store.replace(KEY, { n: 2 }, etag, { expiresAt: new Date(clock + 60_000) });
      assert.deepEqual((await store.read(KEY))?.value, { n: 2 });
    });

    it('forgetting a user deletes their expired, unswept records too', async () => {
      const transient = await open(now);
      const alice = { tenantId: '00000000-0000-0000-0000-000000000001', userId: '00000000-0000-0000-0000-000000000020' };
      await transient.create({ partition: userPartition(alice), row: 'pending' }, { text: 'dnd 8h "private"' }, { expiresAt: new Date(clock + 1000) });
      clock += 2000;
      assert.equal(await forgetUser({ users: store, transient }, alice), 1);
      clock -= 2000;
      assert.equal(await transient.read({ partition: userPartition(alice), row: 'pending' }), undefined, 'gone, not just expired');
    });

    it('of 20 concurrent creates over an expired record, exactly one wins', async () => {
      await store.create(KEY, { claim: 'old' }, { expiresAt: new Date(clock + 1000) });
      clock += 2000;
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.create(KEY, { claim: i })));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    });

    it('sweeps expired records and keeps live ones and ones without expiry', async () => {
      const start = clock;
      await store.create({ partition: 'p1', row: 'expired' }, 1, { expiresAt: new Date(start + 1000) });
      await store.create({ partition: 'p2', row: 'live' }, 2, { expiresAt: new Date(start + 10 * MINUTE) });
      await store.create({ partition: 'p2', row: 'forever' }, 3);
      clock = start + 2000;
      assert.equal(await store.sweep(new Date(start + 2000)), 1);
      assert.deepEqual([...(await store.list('p2')).keys()].sort(), ['forever', 'live']);
      assert.equal((await store.list('p1')).size, 0);
    });

    it('lists a partition in row order, below a row key and up to a limit (a due-time index read up to now)', async () => {
      for (const row of ['000300_c', '000100_a', '000200_b', '000400_d']) await store.create({ partition: 'due', row }, row);
      assert.deepEqual([...(await store.list('due')).keys()], ['000100_a', '000200_b', '000300_c', '000400_d']);
      assert.deepEqual([...(await store.list('due', { rowsBelow: '000300~' })).keys()], ['000100_a', '000200_b', '000300_c']);
      assert.deepEqual([...(await store.list('due', { rowsBelow: '000300~', limit: 2 })).keys()], ['000100_a', '000200_b']);
      assert.deepEqual([...(await store.list('due', { rowsBelow: '000100' })).keys()], []);
    });

    it("lists one partition's live rows and nothing of another's", async () => {
      await store.create({ partition: 'a', row: 'one' }, 1);
      await store.create({ partition: 'a', row: 'two' }, 2);
      await store.create({ partition: 'b', row: 'one' }, 3);
      const rows = await store.list('a');
      assert.deepEqual([...rows.keys()].sort(), ['one', 'two']);
      assert.equal(rows.get('two')?.value, 2);
    });

    it('forgets one user in every store and no one else', async () => {
      const transient = await open(now);
      const alice = { tenantId: '00000000-0000-0000-0000-000000000001', userId: '00000000-0000-0000-0000-000000000020' };
      const bob = { ...alice, userId: '00000000-0000-0000-0000-000000000021' };
      await store.create({ partition: userPartition(alice), row: 'presence' }, { version: 1 });
      await transient.create({ partition: userPartition(alice), row: 'pending' }, { text: 'dnd' }, { expiresAt: new Date(clock + MINUTE) });
      await store.create({ partition: userPartition(bob), row: 'presence' }, { version: 1 });
      assert.equal(await forgetUser({ users: store, transient }, alice), 2);
      assert.equal((await store.list(userPartition(alice))).size, 0);
      assert.equal((await transient.list(userPartition(alice))).size, 0);
      assert.equal((await store.list(userPartition(bob))).size, 1);
    });

    it('answers its health check', async () => {
      await store.check();
    });
  });
}

describe('record store: Azure Table Storage failures', () => {
  it('reports a store that does not answer as unavailable, promptly', async () => {
    const store = TableRecordStore.open(
      {
        kind: 'connectionString',
        connectionString:
          'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;',
      },
      'nowhere',
    );
    const started = Date.now();
    await rejectsWith(store.read(KEY), 'unavailable');
    await rejectsWith(store.check(), 'unavailable');
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });

  it('a table deleted while the app runs is "unavailable", not "no record"; the next check creates it again', async () => {
    const store = await azuriteTable();
    await store.create(KEY, { n: 1 });
    const admin = TableClient.fromConnectionString((await testAzurite()).connectionString, store.tableName, { allowInsecureConnection: true });
    await admin.deleteTable();
    await rejectsWith(store.read(KEY), 'unavailable');
    await store.check();
    assert.equal(await store.read(KEY), undefined);
  });

  it('refuses keys Azure Tables cannot hold, before sending anything', async () => {
    const store = await azuriteTable();
    await rejectsWith(store.read({ partition: 'a/b', row: 'x' }), 'invalid');
    await rejectsWith(store.create({ partition: 'a', row: 'x#y' }, 1), 'invalid');
  });
});
