/**
 * Opens the durable store the configuration names: Azure Table Storage by URL (managed identity) or by
 * connection string, the embedded Azurite of sandbox mode (started here, same connection-string path), or
 * memory (STORAGE=memory, sandbox only). Production and sandbox differ only in endpoints and credentials.
 */
import type { TokenCredential } from '@azure/identity';
import type { Logger } from '../presence/log';
import { MemoryRecordStore } from '../presence/memory-store';
import type { AppStores, RecordStore } from '../presence/store';
import { AzuriteInUseError, startAzurite, type RunningAzurite } from '../sandbox/storage/azurite';
import { countingStore, emptyStats, type StoreStats } from '../storage/counting-store';
import { tracedStore } from '../storage/traced-store';
import { NO_TELEMETRY, type Telemetry } from '../presence/telemetry';
import { TableRecordStore, type TableStoreSource } from '../storage/table-store';
import { ConfigError, type StorageConfig } from './config';

export interface OpenStorage {
  /** The app's stores, each counted (stats). */
  readonly stores: AppStores;
  /** Operations on the app's stores since start, by kind (not the sandbox's own table). */
  stats(): StoreStats;
  /** Another table in the same account, for the sandbox's own state (the Graph emulator's). */
  table(name: string): RecordStore;
  /** The embedded Azurite's connection string, which another local instance can share. */
  readonly shareableConnectionString?: string;
  /** Whether the store answers; the result is kept a few seconds so /healthz costs the store little. */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

const HEALTH_CACHE_MS = 10_000;
const HEALTH_TIMEOUT_MS = 3_000;

export interface OpenStorageOptions {
  readonly logger: Logger;
  /** For a table URL: how to sign in (the app's managed identity in production). */
  readonly credential?: () => TokenCredential;
  /** A span for each call inside a command or a timer's run (storage/traced-store.ts). */
  readonly telemetry?: Telemetry;
}

export async function openStorage(storage: StorageConfig, options: OpenStorageOptions): Promise<OpenStorage> {
  const { logger } = options;
  if (storage.kind === 'memory') {
    const tables = new Map<string, MemoryRecordStore>();
    const table = (name: string): MemoryRecordStore => {
      const existing = tables.get(name);
      if (existing) return existing;
      const created = new MemoryRecordStore();
      tables.set(name, created);
      return created;
    };
    const stores = { users: table('users'), transient: table('transient'), jobs: table('jobs') };
    return instrument({ stores, table, close: () => Promise.resolve() }, options.telemetry);
  }
  let azurite: RunningAzurite | undefined;
  let source: TableStoreSource;
  if (storage.kind === 'embedded') {
    // A folder another instance's Azurite holds is a configuration problem: the message says how to share it.
    azurite = await startAzurite({ location: storage.location }).catch((err: unknown) => {
      throw err instanceof AzuriteInUseError ? new ConfigError([err.message]) : err;
    });
    source = { kind: 'connectionString', connectionString: azurite.connectionString };
  } else if (storage.kind === 'connectionString') {
    source = { kind: 'connectionString', connectionString: storage.connectionString };
  } else {
    if (!options.credential) throw new Error('a table URL needs a credential');
    source = { kind: 'tableUrl', url: storage.url, credential: options.credential() };
  }
  const table = (name: string) => TableRecordStore.open(source, `${storage.tablePrefix}${name}`);
  const tables = { users: table('users'), transient: table('transient'), jobs: table('jobs') };
  // Tables are created now if absent; a store that is down does not stop the start: /healthz reports it.
  await Promise.all(Object.values(tables).map((s) => s.ensureTable())).catch((err: unknown) => {
    logger.error('storage unavailable at start', { error: err, storage: storage.kind });
  });
  return instrument(
    {
      stores: tables,
      table,
      shareableConnectionString: azurite?.connectionString,
      close: () => azurite?.stop() ?? Promise.resolve(),
    },
    options.telemetry,
  );
}

/** Adds the counters, the spans and the cached health check. */
function instrument(parts: Omit<OpenStorage, 'healthy' | 'stats'>, telemetry: Telemetry = NO_TELEMETRY): OpenStorage {
  const counts = emptyStats();
  const wrap = (name: keyof AppStores) => countingStore(tracedStore(parts.stores[name], name, telemetry), counts);
  const stores = { users: wrap('users'), transient: wrap('transient'), jobs: wrap('jobs') };
  let last: { at: number; ok: Promise<boolean> } | undefined;
  const probe = (): Promise<boolean> => {
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS).unref());
    const checks = Promise.all([stores.users.check(), stores.transient.check(), stores.jobs.check()]).then(
      () => true,
      () => false,
    );
    return Promise.race([checks, timeout]);
  };
  return {
    ...parts,
    stores,
    stats: () => ({ ...counts }),
    healthy: () => {
      if (!last || Date.now() - last.at > HEALTH_CACHE_MS) last = { at: Date.now(), ok: probe() };
      return last.ok;
    },
  };
}
