import type { ListOptions, RecordStore, StoreKey, WriteOptions } from '../presence/store';
import { NO_TELEMETRY, type Telemetry } from '../presence/telemetry';

/**
 * The store port with a span per call (a dependency in Application Insights), inside a command or a timer's run
 * only: the job poll and the sweeps, which ask the store every second whether anything is due, would otherwise be
 * most of the traces and none of the questions an admin asks. Keys and values stay out of the spans: a key names
 * a user.
 */
export function tracedStore(store: RecordStore, table: string, telemetry: Telemetry): RecordStore {
  if (telemetry === NO_TELEMETRY) return store;
  const traced =
    <A extends unknown[], R>(operation: string, call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      if (!telemetry.traceId()) return call(...args);
      const attributes = { 'db.system': 'azure_tables', 'db.operation': operation, 'db.name': table };
      return telemetry.span(`store ${operation} ${table}`, { kind: 'client', attributes }, () => call(...args));
    };
  return {
    read: traced('read', (key: StoreKey) => store.read(key)),
    create: traced('create', (key: StoreKey, value: unknown, options?: WriteOptions) => store.create(key, value, options)),
    replace: traced('replace', (key: StoreKey, value: unknown, etag: string, options?: WriteOptions) => store.replace(key, value, etag, options)),
    upsert: traced('upsert', (key: StoreKey, value: unknown, options?: WriteOptions) => store.upsert(key, value, options)),
    delete: traced('delete', (key: StoreKey, etag?: string) => store.delete(key, etag)),
    list: traced('list', (partition: string, options?: ListOptions) => store.list(partition, options)),
    sweep: (now: Date) => store.sweep(now),
    check: () => store.check(),
  };
}
