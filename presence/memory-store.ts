import { StoreError, type ListOptions, type RecordStore, type StoreKey, type StoredRecord, type WriteOptions } from './store';

interface Entry {
  readonly json: string;
  readonly etag: string;
  readonly expiresAt?: Date;
}

/**
 * The store port in this process's memory: for unit tests and STORAGE=memory (sandbox only, not durable).
 * Each method does its check and its write in one synchronous step, so concurrent calls behave as the
 * Azure adapter's conditional writes do. Values are kept as JSON, as the table adapter keeps them.
 */
export class MemoryRecordStore implements RecordStore {
  private readonly entries = new Map<string, Entry>();
  private counter = 0;

  constructor(private readonly now: () => number = Date.now) {}

  read(key: StoreKey): Promise<StoredRecord | undefined> {
    const entry = this.live(key);
    return Promise.resolve(entry && toRecord(entry));
  }

  create(key: StoreKey, value: unknown, options: WriteOptions = {}): Promise<string> {
    return this.step(() => {
      if (this.live(key)) throw new StoreError('conflict', 'exists');
      return this.put(key, value, options);
    });
  }

  replace(key: StoreKey, value: unknown, etag: string, options: WriteOptions = {}): Promise<string> {
    return this.step(() => {
      if (this.entries.get(id(key))?.etag !== etag) throw new StoreError('conflict', 'etag');
      return this.put(key, value, options);
    });
  }

  upsert(key: StoreKey, value: unknown, options: WriteOptions = {}): Promise<string> {
    return this.step(() => this.put(key, value, options));
  }

  delete(key: StoreKey, etag?: string): Promise<boolean> {
    return this.step(() => {
      const entry = this.entries.get(id(key));
      if (!entry) return false;
      if (etag !== undefined && entry.etag !== etag) throw new StoreError('conflict', 'etag');
      return this.entries.delete(id(key));
    });
  }

  list(partition: string, options: ListOptions = {}): Promise<ReadonlyMap<string, StoredRecord>> {
    const found: [string, StoredRecord][] = [];
    for (const [key, entry] of this.entries) {
      const [p, row] = JSON.parse(key) as [string, string];
      if (p !== partition || (options.rowsBelow !== undefined && row >= options.rowsBelow)) continue;
      if (options.includeExpired || !this.expired(entry)) found.push([row, toRecord(entry)]);
    }
    // Row order, as Azure Tables returns a partition (string comparison of keys).
    found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Promise.resolve(new Map(options.limit === undefined ? found : found.slice(0, options.limit)));
  }

  sweep(now: Date): Promise<number> {
    let deleted = 0;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt && entry.expiresAt.getTime() <= now.getTime()) {
        this.entries.delete(key);
        deleted += 1;
      }
    }
    return Promise.resolve(deleted);
  }

  check(): Promise<void> {
    return Promise.resolve();
  }

  /** How many records are held, expired or not (for tests). */
  get size(): number {
    return this.entries.size;
  }

  private put(key: StoreKey, value: unknown, options: WriteOptions): string {
    const json = JSON.stringify(value);
    if (json === undefined) throw new StoreError('invalid', 'value is not JSON');
    this.counter += 1;
    const etag = `W/"${this.counter}"`;
    this.entries.set(id(key), { json, etag, expiresAt: options.expiresAt });
    return etag;
  }

  private live(key: StoreKey): Entry | undefined {
    const entry = this.entries.get(id(key));
    return entry && !this.expired(entry) ? entry : undefined;
  }

  private expired(entry: Entry): boolean {
    return !!entry.expiresAt && entry.expiresAt.getTime() <= this.now();
  }

  /** Runs a synchronous step as a settled promise, its throw as a rejection. */
  private step<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new StoreError('invalid'));
    }
  }
}

function id(key: StoreKey): string {
  return JSON.stringify([key.partition, key.row]);
}

function toRecord(entry: Entry): StoredRecord {
  return { value: JSON.parse(entry.json) as unknown, etag: entry.etag, ...(entry.expiresAt ? { expiresAt: entry.expiresAt } : {}) };
}
