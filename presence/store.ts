/**
 * The durable store port: small, async, framework-free. Adapters: Azure Table Storage (storage/table-store.ts,
 * also Azurite) and memory (presence/memory-store.ts, for unit tests and STORAGE=memory). Both pass one contract
 * test (test/storage/record-store.contract.test.ts).
 *
 * A record is a JSON value at a key. Every write returns an ETag; a conditional write or delete with a stale ETag
 * fails with `conflict`, which is how concurrent writers (several instances) never lose each other's updates.
 * A record may carry an expiry: once past it, the record reads as absent, `create` may take its key, and `sweep`
 * deletes it.
 */
import type { Identity } from './tokens/identity';
import type { Span } from './telemetry';

/** A record's address. A partition holds one user's records, so deleting a user's data is deleting a partition. */
export interface StoreKey {
  readonly partition: string;
  readonly row: string;
}

export interface StoredRecord {
  /** The record as stored; a reader validates it (data outlives code versions). */
  readonly value: unknown;
  readonly etag: string;
  readonly expiresAt?: Date;
}

/** What any call may carry: the span it is part of (a command's, a timer run's); none: the call is not traced. */
export interface CallOptions {
  readonly trace?: Span;
}

export interface WriteOptions extends CallOptions {
  /** After this instant the record reads as absent and `sweep` removes it. */
  readonly expiresAt?: Date;
}

export interface ListOptions extends CallOptions {
  /** The expired records not yet swept too. */
  readonly includeExpired?: boolean;
  /** Only rows whose key sorts before this one (a due-time index: rows keyed by time, read up to now). */
  readonly rowsBelow?: string;
  /** At most this many rows, the first in row order. */
  readonly limit?: number;
}

export interface RecordStore {
  /** The live record at `key`, or undefined (absent or expired). */
  read(key: StoreKey, options?: CallOptions): Promise<StoredRecord | undefined>;
  /** Writes only where no live record exists: of concurrent creates exactly one wins, the others fail with `conflict`. Returns the ETag. */
  create(key: StoreKey, value: unknown, options?: WriteOptions): Promise<string>;
  /**
   * Replaces the record only while its ETag is still `etag`; `conflict` otherwise (changed or deleted). A record
   * past its expiry keeps its ETag until it is swept, so a caller holding an old copy checks its expiry itself.
   */
  replace(key: StoreKey, value: unknown, etag: string, options?: WriteOptions): Promise<string>;
  /** Writes unconditionally (last writer wins). */
  upsert(key: StoreKey, value: unknown, options?: WriteOptions): Promise<string>;
  /** Deletes the record; with an ETag only while unchanged (`conflict` otherwise). False when nothing was there. */
  delete(key: StoreKey, etag?: string, options?: CallOptions): Promise<boolean>;
  /** A partition's live records in row order (see ListOptions). */
  list(partition: string, options?: ListOptions): Promise<ReadonlyMap<string, StoredRecord>>;
  /** Deletes the records whose expiry is past `now`; returns how many it deleted. */
  sweep(now: Date): Promise<number>;
  /** Resolves when the store answers (the health check); rejects with `unavailable` otherwise. */
  check(): Promise<void>;
}

/** The store's failures, by code: the service maps them to outcomes and coded errors at its edge. */
export const STORE_ERROR_CODES = {
  /** An ETag or create-if-absent precondition failed: someone else wrote first. */
  conflict: 'conflict',
  /** The store could not be reached or answered with a server error. */
  unavailable: 'unavailable',
  /** A key or value the store cannot hold (a bug, not a user error). */
  invalid: 'invalid',
} as const;

export type StoreErrorCode = keyof typeof STORE_ERROR_CODES;

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    readonly detail?: string,
  ) {
    super(`store error: ${code}${detail ? ` (${detail})` : ''}`);
    this.name = 'StoreError';
  }
}

export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}

/** The two stores the app uses: durable per-user records, and short-lived records that expire (sign-in claims). */
export interface AppStores {
  /** What the app set for a user, the status message, the user's 1:1 conversation, locale and time zone. */
  readonly users: RecordStore;
  /** Records with an expiry: Teams SSO exchange claims and commands waiting for sign-in. */
  readonly transient: RecordStore;
  /** The timers' due-time index, shared by every instance (presence/jobs.ts); the jobs themselves are in `users`. */
  readonly jobs: RecordStore;
}

/**
 * The partition of a user's records in every store, from a validated identity only. Tenant and object IDs are
 * GUIDs, so the key holds none of the characters Azure Table keys forbid.
 */
export function userPartition(identity: Identity): string {
  return `${identity.tenantId}_${identity.userId}`;
}

/** Deletes everything the app stored about a user; returns how many records went. */
export async function forgetUser(stores: Pick<AppStores, 'users' | 'transient'>, identity: Identity, trace?: Span): Promise<number> {
  const partition = userPartition(identity);
  let deleted = 0;
  // The user's timers are in the jobs store, keyed by time: the scheduler forgets those (PresenceService.forget).
  for (const store of [stores.users, stores.transient]) {
    // Expired rows too: they still hold the user's data until a sweep, and forgetting must not wait for one.
    const rows = await store.list(partition, { includeExpired: true, trace });
    for (const row of rows.keys()) {
      if (await store.delete({ partition, row }, undefined, { trace })) deleted += 1;
    }
  }
  return deleted;
}
