/**
 * Keeps the Graph emulator's state (users' preferred presence, sessions, status messages, the clock offset) in
 * the store, because Graph does not forget when this app restarts: after `npm start` again the emulator and the
 * app agree on what was set. Each user is one record, written after each change; writes for one key run one
 * after another so an older snapshot never lands after a newer one.
 */
import type { Logger } from '../../presence/log';
import type { RecordStore, StoreKey, StoredRecord } from '../../presence/store';
import type { EmulatorChange, PersistedUser, PresenceEmulator } from './emulator';

const USERS = 'users';
const CLOCK: StoreKey = { partition: 'clock', row: 'offset' };

export interface EmulatorPersistence {
  /** Resolves once every change made so far (with a user ID: that user's changes) is written. */
  flush(userId?: string): Promise<void>;
}

/** Loads the saved state into the emulator, then saves every change it makes. */
export async function persistEmulator(emulator: PresenceEmulator, store: RecordStore, logger?: Logger): Promise<EmulatorPersistence> {
  // A store that is down leaves the emulator empty (the app's health check reports the store), not unstartable.
  const [rows, clock] = await Promise.all([store.list(USERS), store.read(CLOCK)]).catch((err: unknown) => {
    logger?.warn('sandbox graph state not loaded', { error: err });
    return [new Map<string, StoredRecord>(), undefined] as const;
  });
  const users = new Map<string, PersistedUser>();
  for (const [userId, record] of rows) {
    if (isPersistedUser(record.value)) users.set(userId, record.value);
  }
  const offset = (clock?.value as { offsetMs?: unknown } | undefined)?.offsetMs;
  emulator.restore(typeof offset === 'number' && offset >= 0 ? offset : 0, users);

  const queues = new Map<string, Promise<void>>();
  /** The latest reset: every write queued after it waits for it, so a reset never deletes a newer state. */
  let lastReset: Promise<void> = Promise.resolve();
  const enqueue = (id: string, write: () => Promise<unknown>) => {
    const barrier = lastReset;
    const next = (queues.get(id) ?? Promise.resolve())
      .then(() => barrier)
      .then(write)
      .then(
        () => undefined,
        (err: unknown) => logger?.warn('sandbox graph state not saved', { error: err }),
      );
    queues.set(id, next);
    void next.then(() => {
      if (queues.get(id) === next) queues.delete(id);
    });
    return next;
  };
  const save = (change: EmulatorChange) => {
    switch (change.kind) {
      case 'user':
        // The snapshot is taken when the write runs, so the newest state is what lands.
        return enqueue(`user:${change.userId}`, () => {
          const user = emulator.exportUser(change.userId);
          return user ? store.upsert({ partition: USERS, row: change.userId }, user) : store.delete({ partition: USERS, row: change.userId });
        });
      case 'clock':
        return enqueue('clock', () => store.upsert(CLOCK, { offsetMs: emulator.clockOffsetMs }));
      case 'reset': {
        // Writes queued before the reset land first, so none of them brings a user back after it.
        const earlier = [...queues.values()];
        lastReset = enqueue('reset', async () => {
          await Promise.all(earlier);
          for (const row of (await store.list(USERS, { includeExpired: true })).keys()) await store.delete({ partition: USERS, row });
        });
        return lastReset;
      }
    }
  };
  const flushAll = async () => {
    while (queues.size) await Promise.all([...queues.values()]);
  };
  emulator.onChange((change) => void save(change));
  return {
    // One user's writes (and a reset before them), or everything: a Graph write waits only for its own user's.
    flush: (userId?: string) => (userId === undefined ? flushAll() : (queues.get(`user:${userId}`) ?? Promise.resolve())),
  };
}

function isPersistedUser(value: unknown): value is PersistedUser {
  if (typeof value !== 'object' || value === null) return false;
  const user = value as Partial<PersistedUser>;
  return (
    typeof user.teamsClientSignedIn === 'boolean' &&
    typeof user.sequence === 'number' &&
    typeof user.teamsClient?.availability === 'string' &&
    typeof user.teamsClient.activity === 'string'
  );
}
