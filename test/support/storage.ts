/**
 * One Azurite (in-memory persistence, loopback, a free port) for the whole mocha run, started by the root hook
 * below before the first test; each test that needs a store takes its own table prefix, so tests never see each other's
 * records. Registered in .mocharc.json.
 */
import { randomBytes } from 'node:crypto';
import type { Env } from '../../server/config';
import { startAzurite, type RunningAzurite } from '../../sandbox/storage/azurite';
import { TableRecordStore } from '../../storage/table-store';

let running: Promise<RunningAzurite> | undefined;

/** The run's Azurite, started on first call. */
export function testAzurite(): Promise<RunningAzurite> {
  running ??= startAzurite({ location: 'memory' });
  return running;
}

/** A table prefix no other test uses. */
export function uniquePrefix(): string {
  return `t${randomBytes(6).toString('hex')}`;
}

/** Environment for an app on the run's Azurite, in tables of its own (pass the same prefix to restart on the same data). */
export async function storageEnv(prefix = uniquePrefix()): Promise<Env> {
  const azurite = await testAzurite();
  return { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STORAGE_TABLE_PREFIX: prefix };
}

/** A fresh table on the run's Azurite, as the app's adapter opens it. */
export async function azuriteTable(now?: () => number): Promise<TableRecordStore> {
  const azurite = await testAzurite();
  const store = TableRecordStore.open({ kind: 'connectionString', connectionString: azurite.connectionString }, uniquePrefix(), now);
  await store.ensureTable();
  return store;
}

export const mochaHooks = {
  /** Started before the first test, with time of its own: a slow machine's Azurite start is no test's timeout. */
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    await testAzurite();
  },
  async afterAll(): Promise<void> {
    if (running) await (await running).stop();
  },
};
