/**
 * What this app set for each user, and until when, on the durable store (presence/store.ts): Graph does not
 * report expiry times, so the app remembers its own. One record per user, keyed by the validated identity only,
 * written with its ETag so several instances never lose each other's updates. A timer tells whether the plan it
 * was made for is still the current one by comparing the setting it was planned for (state and end) with the one
 * stored.
 */
import { isStateName, type StateName } from './model';
import { forgetUser, isStoreError, userPartition, type AppStores, type RecordStore } from './store';
import { identityKey, type Identity } from './tokens/identity';
import { LruMap } from './tokens/lru';

export interface AppSetting {
  readonly state: StateName;
  readonly expiresAt: Date;
  readonly statusMessage?: string;
}

export interface LedgerEntry {
  readonly preferred?: AppSetting;
  readonly session?: AppSetting;
}

/**
 * Where and how to reach the user later (proactive messages): the bot's 1:1 conversation reference, opaque to
 * this folder, and the locale and time zone last seen. Only the bot writes it.
 */
export interface UserContact {
  readonly conversation: Readonly<Record<string, unknown>>;
  readonly locale?: string;
  readonly timeZone?: string;
}

/** When to remind the user before a timed status this app set ends; absent: DEFAULT_REMINDER (presence/reminders.ts). */
export interface ReminderSetting {
  /** How long before the end; null: no reminders. */
  readonly leadMs: number | null;
}

export interface UserRecord extends LedgerEntry {
  /** Bumped on every write: how many changes the record has seen (the concurrency tests count them). */
  readonly version: number;
  readonly contact?: UserContact;
  readonly reminders?: ReminderSetting;
}

export type LedgerChange = Partial<Record<keyof LedgerEntry, AppSetting | null>> & { readonly contact?: UserContact; readonly reminders?: ReminderSetting };

const ROW = 'presence';
const EMPTY: UserRecord = { version: 0 };
/**
 * A record is kept this long after its last change, then swept: what the app set ends within 7 days (Graph's
 * longest), and a user who has not changed anything for 90 days is no longer kept.
 */
export const RETENTION_MS = 90 * 24 * 3600_000;
/**
 * Bounded retries of a read-modify-write that lost a race: each retry means another writer got in between. A
 * short random pause spreads writers that collided, so even 20 at once on one record all get through.
 */
const MAX_ATTEMPTS = 12;
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));

export interface LedgerOptions {
  readonly now?: () => number;
  /** How many users' last-seen records (and ETags) this instance keeps to write without reading first. */
  readonly cacheSize?: number;
}

/** A record as this instance last read or wrote it, with the ETag the store gave it. */
interface Seen {
  readonly record: UserRecord;
  readonly etag: string;
  /** The stored record's own expiry (its retention): past it the record is gone, whatever this copy says. */
  readonly expiresAt?: Date;
}

export class PresenceLedger {
  private readonly users: RecordStore;
  private readonly now: () => number;
  /**
   * What this instance last saw of each user. A write starts from it and is conditional on its ETag, so a
   * returning user's set costs one write and no read; if another instance wrote in between, the write fails
   * with `conflict` and the record is read afresh. Never trusted to decide that nothing needs writing.
   */
  private readonly seen: LruMap<Seen>;

  constructor(
    private readonly stores: Pick<AppStores, 'users' | 'transient'>,
    options: LedgerOptions = {},
  ) {
    this.users = stores.users;
    this.now = options.now ?? Date.now;
    this.seen = new LruMap(options.cacheSize ?? 10_000);
  }

  /** The user's record, read from the store, with expired settings dropped; version 0 when nothing was ever stored. */
  async get(identity: Identity): Promise<UserRecord> {
    return this.live((await this.fetch(identity))?.record ?? EMPTY);
  }

  /**
   * The user's record as this instance last saw it (written or read), read from the store only when it has none:
   * a set that looks at it costs no extra read, since its write needs the same record and ETag.
   */
  async latest(identity: Identity): Promise<UserRecord> {
    return this.live((this.cached(identity) ?? (await this.fetch(identity)))?.record ?? EMPTY);
  }

  /**
   * Applies a change (null deletes a setting) and bumps the version; retried on an ETag conflict, so a change is
   * never lost to a concurrent one. A change that alters nothing (the same contact, nothing to clear) writes nothing.
   */
  async update(identity: Identity, change: LedgerChange): Promise<UserRecord> {
    let base = this.cached(identity);
    let fresh = !base;
    if (!base) base = await this.fetch(identity);
    for (let attempt = 1; ; attempt += 1) {
      const current = this.live(base?.record ?? EMPTY);
      const next = apply(current, change);
      // A new setting always changes the record (its own end time); only other changes can be no-ops.
      if (!change.preferred && !change.session && sameRecord(current, next)) {
        if (fresh) return current;
        // The cache says nothing changes, but another instance may have written since: decide on the stored record.
        base = await this.fetch(identity);
        fresh = true;
        continue;
      }
      const record = { ...next, version: current.version + 1 };
      try {
        const options = { expiresAt: new Date(this.now() + RETENTION_MS) };
        const etag = base
          ? await this.users.replace(key(identity), serialize(record), base.etag, options)
          : await this.users.create(key(identity), serialize(record), options);
        this.seen.set(identityKey(identity), { record, etag, expiresAt: options.expiresAt });
        return record;
      } catch (err) {
        if (!isStoreError(err, 'conflict') || attempt >= MAX_ATTEMPTS) throw err;
      }
      // A conflict on a record just read is a collision with another writer: pause before the next try. One on a
      // cached copy only means it was stale: read and try again at once.
      if (fresh) await backoff(attempt);
      base = await this.fetch(identity);
      fresh = true;
    }
  }

  /** Deletes every record the app keeps about the user (this one, sign-in claims, pending commands). */
  forget(identity: Identity): Promise<number> {
    this.seen.delete(identityKey(identity));
    return forgetUser(this.stores, identity);
  }

  /** This instance's copy of the user's record, unless the stored record has expired since. */
  private cached(identity: Identity): Seen | undefined {
    const seen = this.seen.get(identityKey(identity));
    return seen && (!seen.expiresAt || seen.expiresAt.getTime() > this.now()) ? seen : undefined;
  }

  /** Reads the stored record (parsed, expired settings kept) and remembers it with its ETag. */
  private async fetch(identity: Identity): Promise<Seen | undefined> {
    const stored = await this.users.read(key(identity));
    if (!stored) {
      this.seen.delete(identityKey(identity));
      return undefined;
    }
    const seen = { record: parseRecord(stored.value), etag: stored.etag, expiresAt: stored.expiresAt };
    this.seen.set(identityKey(identity), seen);
    return seen;
  }

  private live(record: UserRecord): UserRecord {
    const alive = (s?: AppSetting) => (s && s.expiresAt.getTime() > this.now() ? s : undefined);
    return withoutUndefined({ ...record, preferred: alive(record.preferred), session: alive(record.session) });
  }
}

function key(identity: Identity) {
  return { partition: userPartition(identity), row: ROW };
}

function apply(current: UserRecord, change: LedgerChange): UserRecord {
  const next: { -readonly [K in keyof UserRecord]: UserRecord[K] } = { ...current };
  for (const slot of ['preferred', 'session'] as const) {
    const value = change[slot];
    if (value === null) delete next[slot];
    else if (value) next[slot] = value;
  }
  if (change.contact) next.contact = change.contact;
  if (change.reminders) next.reminders = change.reminders;
  return next;
}

function sameRecord(a: UserRecord, b: UserRecord): boolean {
  return JSON.stringify(serialize(a)) === JSON.stringify(serialize(b));
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The record as stored: schema 1, times as ISO 8601 strings. */
function serialize(record: UserRecord): Record<string, unknown> {
  const setting = (s?: AppSetting) =>
    s && { state: s.state, expiresAt: s.expiresAt.toISOString(), ...(s.statusMessage ? { statusMessage: s.statusMessage } : {}) };
  return withoutUndefined({
    schema: 1,
    version: record.version,
    preferred: setting(record.preferred),
    session: setting(record.session),
    contact: record.contact,
    reminders: record.reminders,
  });
}

/** A stored value as a record; anything unreadable counts as nothing set (it is overwritten by the next change). */
function parseRecord(value: unknown): UserRecord {
  if (!isObject(value) || value.schema !== 1) return { version: isObject(value) && typeof value.version === 'number' ? value.version : 0 };
  const version = typeof value.version === 'number' && Number.isInteger(value.version) ? value.version : 0;
  return withoutUndefined({
    version,
    preferred: parseSetting(value.preferred),
    session: parseSetting(value.session),
    contact: parseContact(value.contact),
    reminders: parseReminders(value.reminders),
  });
}

function parseSetting(value: unknown): AppSetting | undefined {
  if (!isObject(value) || !isStateName(value.state) || typeof value.expiresAt !== 'string') return undefined;
  const expiresAt = new Date(value.expiresAt);
  if (Number.isNaN(expiresAt.getTime())) return undefined;
  const statusMessage = typeof value.statusMessage === 'string' ? value.statusMessage : undefined;
  return withoutUndefined({ state: value.state, expiresAt, statusMessage });
}

function parseReminders(value: unknown): ReminderSetting | undefined {
  if (!isObject(value)) return undefined;
  const { leadMs } = value;
  return leadMs === null || (typeof leadMs === 'number' && Number.isFinite(leadMs) && leadMs > 0) ? { leadMs } : undefined;
}

function parseContact(value: unknown): UserContact | undefined {
  if (!isObject(value) || !isObject(value.conversation)) return undefined;
  return withoutUndefined({
    conversation: value.conversation,
    locale: typeof value.locale === 'string' ? value.locale : undefined,
    timeZone: typeof value.timeZone === 'string' ? value.timeZone : undefined,
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
