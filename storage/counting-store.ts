import type { CallOptions, ListOptions, RecordStore, StoreKey, WriteOptions } from '../presence/store';

/** How many store operations ran, by kind: the cost a command puts on the store (the bench reports it). */
export interface StoreStats {
  reads: number;
  writes: number;
  deletes: number;
  lists: number;
}

export function emptyStats(): StoreStats {
  return { reads: 0, writes: 0, deletes: 0, lists: 0 };
}

/** The store port with counters in front: each call counts once, whatever its outcome. */
export function countingStore(store: RecordStore, stats: StoreStats): RecordStore {
  return {
    read: (key: StoreKey, options?: CallOptions) => (stats.reads++, store.read(key, options)),
    create: (key: StoreKey, value: unknown, options?: WriteOptions) => (stats.writes++, store.create(key, value, options)),
    replace: (key: StoreKey, value: unknown, etag: string, options?: WriteOptions) => (stats.writes++, store.replace(key, value, etag, options)),
    upsert: (key: StoreKey, value: unknown, options?: WriteOptions) => (stats.writes++, store.upsert(key, value, options)),
    delete: (key: StoreKey, etag?: string, options?: CallOptions) => (stats.deletes++, store.delete(key, etag, options)),
    list: (partition: string, options?: ListOptions) => (stats.lists++, store.list(partition, options)),
    sweep: (now: Date) => store.sweep(now),
    check: () => store.check(),
  };
}
