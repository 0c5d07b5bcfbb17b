import type { CallOptions, ListOptions, RecordStore, StoreKey, WriteOptions } from '../presence/store';
import { NO_TELEMETRY, type Telemetry } from '../presence/telemetry';

/**
 * The store port with a span per call (a dependency in Application Insights), for a call that names the span it
 * is part of (`options.trace`: a command's, a timer run's). The job poll and the sweeps, which ask the store every
 * second whether anything is due, name none: they would otherwise be most of the traces and none of the questions
 * an admin asks. Keys and values stay out of the spans: a key names a user.
 */
export function tracedStore(store: RecordStore, table: string, telemetry: Telemetry): RecordStore {
  if (telemetry === NO_TELEMETRY) return store;
  const traced = <R>(operation: string, options: CallOptions | undefined, call: () => Promise<R>): Promise<R> => {
    const parent = options?.trace;
    if (!parent?.traceId) return call();
    const attributes = { 'db.system': 'azure_tables', 'db.operation': operation, 'db.name': table };
    return telemetry.span(`store ${operation} ${table}`, { kind: 'client', attributes, parent }, call);
  };
  return {
    read: (key: StoreKey, options?: CallOptions) => traced('read', options, () => store.read(key, options)),
    create: (key: StoreKey, value: unknown, options?: WriteOptions) => traced('create', options, () => store.create(key, value, options)),
    replace: (key: StoreKey, value: unknown, etag: string, options?: WriteOptions) =>
      traced('replace', options, () => store.replace(key, value, etag, options)),
    upsert: (key: StoreKey, value: unknown, options?: WriteOptions) => traced('upsert', options, () => store.upsert(key, value, options)),
    delete: (key: StoreKey, etag?: string, options?: CallOptions) => traced('delete', options, () => store.delete(key, etag, options)),
    list: (partition: string, options?: ListOptions) => traced('list', options, () => store.list(partition, options)),
    sweep: (now: Date) => store.sweep(now),
    check: () => store.check(),
  };
}
